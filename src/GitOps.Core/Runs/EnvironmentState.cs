using GitOps.Core.Inventory;
using GitOps.Core.Manifests;

namespace GitOps.Core.Runs;

/// <summary>
/// What the reconciler remembers about an environment between runs (<c>environments/&lt;key&gt;/state.json</c>,
/// ETag-guarded): the last applied commit, the inventory, the conditions, and a runtime suspension.
/// </summary>
public sealed record EnvironmentState
{
    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The environment name.</summary>
    public required string Environment { get; init; }

    /// <summary>The last commit applied successfully (the reference for "superseded").</summary>
    public CommitInfo? LastApplied { get; init; }

    /// <summary>When it was applied.</summary>
    public DateTimeOffset? LastAppliedAt { get; init; }

    /// <summary>What the environment manages (for prune and for changes ARM does not echo).</summary>
    public ResourceInventory Inventory { get; init; } = ResourceInventory.Empty;

    /// <summary>Conditions after the last run.</summary>
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>The last run's id, outcome and time.</summary>
    public string? LastRunId { get; init; }

    /// <summary>The last run's outcome.</summary>
    public RunOutcome? LastOutcome { get; init; }

    /// <summary>When the last run finished.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>An emergency suspension made through the api or <c>gitops suspend</c> (git suspensions live in gitops.yaml).</summary>
    public Suspension? Suspension { get; init; }

    /// <summary>A rollback holding the environment at an earlier commit until a new commit arrives on the branch.</summary>
    public RollbackHold? RolledBackTo { get; init; }

    /// <summary>When a drift job was last enqueued (the drift timer's interval reference).</summary>
    public DateTimeOffset? LastDriftCheckAt { get; init; }

    /// <summary>
    /// Set when the drift timer enqueues a job and cleared when a drift run records, so the timer never leaves two
    /// drift jobs waiting for one environment (however long the queue is).
    /// </summary>
    public DateTimeOffset? DriftPendingSince { get; init; }

    /// <summary>
    /// When an alert said the emergency suspension is past its planned end, so it is sent once per suspension
    /// (a later suspension with a later end alerts again).
    /// </summary>
    public DateTimeOffset? SuspensionOverdueAlertedAt { get; init; }

    /// <summary>
    /// Per resource id: how many drift runs in a row found it changed outside git and corrected it. Reset when a drift
    /// run finds it matching; at <see cref="Alerts.AlertRules.RecurringDriftRuns"/> a <c>DriftRecurring</c> alert says
    /// someone keeps changing it by hand.
    /// </summary>
    public IReadOnlyDictionary<string, int> DriftCorrections { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// The run that holds the environment now: written when a run starts (under the environment lease) and cleared by
    /// that run's final write. It fences state writes: a run whose claim was replaced by a later run (its worker froze
    /// past the lease) never writes its state; and a claim still present when the next run starts means that run died
    /// part-way, so its record is marked <see cref="RunOutcome.Interrupted"/>.
    /// </summary>
    public ActiveRun? ActiveRun { get; init; }

    /// <summary>
    /// Jobs waiting on the queue, by commit (or <see cref="Reconcile.JobScheduler.TipKey"/> for branch-tip jobs), with
    /// when they were enqueued: a second job for the same environment and commit is not enqueued while one waits.
    /// An entry is removed when its job starts, and ignored once older than <see cref="Reconcile.JobScheduler.PendingExpiry"/>.
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> PendingJobs { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>
    /// The sync windows of <c>gitops.yaml</c> on the default branch as the last run read them, so the status page and
    /// the CLI can say whether the environment's windows are open without reading git.
    /// </summary>
    public IReadOnlyList<Manifests.Config.SyncWindow> SyncWindows { get; init; } = [];

    /// <summary>
    /// When the resource index (resource id → environment, which routes ARM events) was last known to hold every id of
    /// <see cref="Inventory"/>: set by a run whose index writes succeeded, null when one failed (or before the index
    /// existed), so the next run writes the whole inventory to it again instead of only what changed.
    /// </summary>
    public DateTimeOffset? ResourceIndexedAt { get; init; }

    /// <summary>The key.</summary>
    public string EnvironmentKey => EnvironmentKeys.Of(Repository, Environment);

    /// <summary>A fresh state for an environment never reconciled.</summary>
    public static EnvironmentState New(string repository, string environment) =>
        new() { Repository = repository, Environment = environment };
}
