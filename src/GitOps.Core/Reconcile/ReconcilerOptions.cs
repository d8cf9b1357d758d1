using GitOps.Core.Apply;
using GitOps.Core.Manifests;

namespace GitOps.Core.Reconcile;

/// <summary>Options of the <see cref="Reconciler"/>.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>
    /// How long, on average, a job waits before it runs again when another worker holds its environment. Short,
    /// because most runs are short and the deferred jobs of a burst are mostly superseded in milliseconds once they
    /// run; a long apply only costs a few cheap queue and lease calls per deferred job.
    /// </summary>
    public TimeSpan LeaseBusyDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The spread of <see cref="LeaseBusyDelay"/> as a fraction (0–1): each deferral waits a random time within
    /// delay × (1 ± jitter). Without it, the jobs deferred together come back together, one wins the lease and the
    /// others are deferred again, so a burst of jobs drains one per delay.
    /// </summary>
    public double LeaseBusyJitter { get; init; } = 0.5;

    /// <summary>
    /// Coalesces bursts of pushes: a push job whose commit the branch has already moved past (more pushes are on their
    /// way) waits until this long after the environment's last apply instead of applying the tip at once, so a burst
    /// becomes a few applies. A push that is the branch tip is applied at once, so a lone push never waits.
    /// <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan BurstSettleWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The shortest wait before a run that ARM throttled (or asked for time with <c>Retry-After</c>) runs again: a 429
    /// without <c>Retry-After</c> waits this long.
    /// </summary>
    public TimeSpan RetryAfterMinimum { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a throttled run runs again, however long ARM asked for (a provider may name hours).</summary>
    public TimeSpan RetryAfterMaximum { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a job may keep waiting for ARM, counted from its first throttled run. Past it the throttle counts as an
    /// ordinary transient failure, which the queue retries and poisons past its dequeue limit, so a permanently
    /// throttled environment still ends in a recorded failure.
    /// </summary>
    public TimeSpan RetryAfterBudget { get; init; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Manifest limits, including the Key Vault hosts <c>keyvault('…')</c> may name (<see cref="ManifestLimits.KeyVaultHosts"/>;
    /// the public cloud's vaults by default): every load of a run checks them before any request.
    /// </summary>
    public ManifestLimits Limits { get; init; } = ManifestLimits.Default;

    /// <summary>
    /// The resource type catalogue every load checks bodies against, and whose flags the planner follows; null: no
    /// catalogue checks (GO1016–GO1020 are never reported).
    /// </summary>
    public Ports.IResourceTypeCatalog? ResourceTypes { get; init; }

    /// <summary>Observe/apply parallelism.</summary>
    public ApplyOptions Apply { get; init; } = ApplyOptions.Default;

    /// <summary>How many times the state write is retried after losing an ETag race to an api write (suspend/resume).</summary>
    public int StateWriteAttempts { get; init; } = 5;

    /// <summary>How many times a run record is written before the run gives up recording and keeps its job for another delivery.</summary>
    public int RecordWriteAttempts { get; init; } = 4;

    /// <summary>The wait before the second write of a run record; each later attempt waits one more step (1×, 2×, 3×).</summary>
    public TimeSpan RecordRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one invocation of a run works before it checkpoints and continues in a follow-up job (see
    /// docs/architecture.md, "Time budget, checkpoints and segments"). Well under the host's <c>functionTimeout</c>
    /// (30 minutes in host.json): writes already sent may take <see cref="RunBudgetGrace"/> more, then the record.
    /// Applies only when the reconciler has a checkpoint store.
    /// </summary>
    public TimeSpan RunBudget { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When true, a push run observes only the resources whose declaration changed since the last applied commit (by
    /// the inventory's digests), what depends on them, and what is to be deleted (<see cref="ObservationScope.SelectChanged"/>);
    /// untouched resources are left to ARM events and the drift sweep. False (the library's default) observes every
    /// declared resource on every run; the hosts turn it on (<c>GitOps__TargetedPushes</c>, default true).
    /// </summary>
    public bool TargetedPushes { get; init; }

    /// <summary>
    /// How long writes sent before the budget was spent may take to finish (long-running operations, health checks)
    /// before they are cancelled and left for the next segment to observe again.
    /// </summary>
    public TimeSpan RunBudgetGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many declared resources are observed between two looks at the budget.</summary>
    public int ObserveChunk { get; init; } = 500;

    /// <summary>
    /// How many writes may be in flight beyond what the checkpoint has recorded: before a write is sent, the checkpoint
    /// names it, so a worker that dies leaves at most this many writes to observe again. Each step of the window costs
    /// one checkpoint write.
    /// </summary>
    public int CheckpointWindow { get; init; } = 250;

    /// <summary>How often a long observation is checkpointed, so a worker that dies loses at most this much reading.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after a checkpoint's last write its follow-up job counts as lost: another job of the environment then
    /// continues the run itself (and runs afterwards), and the job of the segment before it queues the follow-up again.
    /// </summary>
    public TimeSpan FollowUpOverdue { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long, on average, a job waits before it looks again when another run of its environment is between segments
    /// (the newer push queues after the run it found).
    /// </summary>
    public TimeSpan CheckpointWaitDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The defaults.</summary>
    public static ReconcilerOptions Default { get; } = new();
}
