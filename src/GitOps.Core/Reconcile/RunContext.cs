using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The working set of one run, filled in by the steps in order. Only the reconciler sees it; what survives the run
/// is the <see cref="RunRecord"/> and the <see cref="EnvironmentState"/> built from it.
/// </summary>
internal sealed class RunContext(ReconcileJob job, int attempt, string runId, DateTimeOffset startedAt, EnvironmentState state)
{
    public ReconcileJob Job { get; } = job;

    public int Attempt { get; } = attempt;

    public string RunId { get; } = runId;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The state as read at the start, then as claimed (the base of the new one).</summary>
    public EnvironmentState State { get; set; } = state;

    /// <summary>The ETag of <see cref="State"/>.</summary>
    public string? ETag { get; set; }

    /// <summary>True once the run wrote its Running record and claimed the state (<see cref="EnvironmentState.ActiveRun"/>).</summary>
    public bool Claimed { get; set; }

    /// <summary>True when the final record (or state) could not be written after retries: the job is kept for another delivery.</summary>
    public bool RecordFailed { get; set; }

    /// <summary>The default branch's tip, where the environment definitions and the policy were read.</summary>
    public CommitInfo? DefinitionsCommit { get; set; }

    /// <summary>The root config files at <see cref="DefinitionsCommit"/> (<c>gitops.yaml</c>, <c>gitops.policy.yaml</c>).</summary>
    public IFileTree? Definitions { get; set; }

    public CommitInfo? Commit { get; set; }

    public IFileTree? Files { get; set; }

    public EnvironmentDefinition? Environment { get; set; }

    public IReadOnlyList<DeclaredResource> Resources { get; set; } = [];

    public IReadOnlyDictionary<string, JsonObject>? Live { get; set; }

    /// <summary>The Key Vault secrets of this run by URL, read once so that plan and apply see the same version.</summary>
    public IReadOnlyDictionary<string, ResolvedSecret> Secrets { get; set; } = new Dictionary<string, ResolvedSecret>();

    public PlanResult? Plan { get; set; }

    public ApplyResult? Applied { get; set; }

    /// <summary>Set by a step that ends the run early (superseded, invalid, suspended…).</summary>
    public RunOutcome? Outcome { get; set; }

    public string? Summary { get; set; }

    public bool Transient { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<string> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    /// <summary>Set when the job is put back on the queue for this long instead of running now (no record is written).</summary>
    public TimeSpan? DeferBy { get; set; }

    /// <summary>The longest wait ARM asked for while observing (the apply's are on its results).</summary>
    public TimeSpan? ObserveRetryAfter { get; set; }

    /// <summary>Set when ARM throttled the run: its job is re-enqueued as a new message visible after this long.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>What the sync windows said for this run (see <see cref="SyncWindowGate"/>); null without windows.</summary>
    public SyncWindowStatus? Window { get; set; }

    /// <summary>Set when a closed sync window deferred the job: it is recorded, then re-enqueued visible after this long.</summary>
    public TimeSpan? WindowDeferBy { get; set; }

    /// <summary>Set when a closed sync window holds a drift run to reporting: why, for its summary.</summary>
    public string? DriftHeldByWindow { get; set; }

    /// <summary>The health of declared resources as observed (before any write), for those with something to say.</summary>
    public IReadOnlyList<ResourceHealth> LiveHealth { get; set; } = [];

    /// <summary>For a rollback run: the branch tip when it ran (the hold lasts until the tip moves).</summary>
    public string? RollbackTip { get; set; }

    /// <summary>True when the run sets or ends a rollback hold; <see cref="Hold"/> is then the new value.</summary>
    public bool HoldChanged { get; private set; }

    /// <summary>The rollback hold the run leaves behind, when <see cref="HoldChanged"/>.</summary>
    public RollbackHold? Hold { get; private set; }

    /// <summary>Records a new rollback hold (or null to end it) for the state written at the end of the run.</summary>
    public void ChangeHold(RollbackHold? hold)
    {
        Hold = hold;
        HoldChanged = true;
    }

    /// <summary>The effective suspension: declared in git, or made through the api.</summary>
    public Suspension? Suspension => Environment?.Suspended ?? State.Suspension;

    /// <summary>
    /// The segment of a run that works within a time budget (what earlier segments left, the budget, the checkpoint);
    /// null when the reconciler keeps no checkpoints.
    /// </summary>
    public RunSegmentSession? Segment { get; set; }

    /// <summary>True when the run reports differences instead of writing them (set before observing, for the checkpoint).</summary>
    public bool DetectOnly { get; set; }

    /// <summary>Where the run's full plan is kept (<see cref="RunRecord.FullPlan"/>), once written.</summary>
    public string? FullPlan { get; set; }

    /// <summary>The changes the run was asked to narrow to (event-driven drift runs); null otherwise. Kept when the run is widened, for who made them.</summary>
    public RunScope? Scope { get; set; }

    /// <summary>What the narrowed run observed and why, once the scope step chose it; null on a run of the whole environment.</summary>
    public RecordedScope? RecordedScope { get; set; }

    /// <summary>The inventory entries of the observed resources, for a narrowed run (the planner sees only these); null otherwise.</summary>
    public GitOps.Core.Inventory.ResourceInventory? ScopedInventory { get; set; }

    /// <summary>The inventory the planner and the applier work against: the scoped one on a narrowed run, else the state's.</summary>
    public GitOps.Core.Inventory.ResourceInventory PlanInventory => ScopedInventory ?? State.Inventory;

    /// <summary>Who changed what outside git, on a drift run that found changes (see <see cref="OutOfBandAttribution"/>).</summary>
    public IReadOnlyList<ChangeAttribution>? ChangedBy { get; set; }

    /// <summary>The <see cref="Conditions"/> reason of the run's end, chosen by the step that ended it.</summary>
    public string? Reason { get; set; }

    /// <summary>Ends the run with an outcome, the condition reason of that end, and a sentence.</summary>
    public void Stop(RunOutcome outcome, string reason, string summary, bool transient = false)
    {
        Outcome = outcome;
        Reason = reason;
        Summary = summary;
        Transient = transient;
    }

    /// <summary>Ends the run without a condition reason: only for outcomes that are no failure (superseded).</summary>
    /// <exception cref="ArgumentException">The outcome is a failure, whose reason must be said where it happens.</exception>
    public void Stop(RunOutcome outcome, string summary)
    {
        if (outcome.IsProblem())
        {
            throw new ArgumentException($"A {outcome} run needs its condition reason.", nameof(outcome));
        }

        Outcome = outcome;
        Reason = null;
        Summary = summary;
        Transient = false;
    }
}
