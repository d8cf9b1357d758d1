using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Planning;

namespace GitOps.Core.Runs;

/// <summary>
/// What a run that works within a time budget has observed, planned and applied so far, kept in the reconciler's
/// storage (one per environment, ETag-guarded, written only under the environment lease) so that a follow-up job, or
/// the redelivery of a job whose worker died, continues the same run instead of paying everything again. See
/// docs/architecture.md, "Time budget, checkpoints and segments".
/// </summary>
/// <remarks>
/// It holds decisions, never live bodies: each observed resource as its planned change and the digest of the
/// declaration it was planned from (a resource whose declaration differs in the next segment, such as a rotated Key
/// Vault secret, is observed again), each write that ended as its result and the inventory entry it leaves, and the
/// writes that may have been sent without their result being recorded (<see cref="InFlight"/>), which the next segment
/// reads again rather than trusting the plan. Never holds a secret value.
/// </remarks>
public sealed record RunCheckpoint
{
    /// <summary>The version this code writes; another version is not read (the run is then started again).</summary>
    public const int CurrentFormat = 1;

    /// <summary>The document's version.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>The run it belongs to: only that run (the environment's <see cref="EnvironmentState.ActiveRun"/>) may continue from it.</summary>
    public required string RunId { get; init; }

    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The environment name.</summary>
    public required string Environment { get; init; }

    /// <summary><c>repository/environment</c>.</summary>
    public string EnvironmentKey => EnvironmentKeys.Of(Repository, Environment);

    /// <summary>The job that started the run (its redelivery may resume the first segment).</summary>
    public required string JobId { get; init; }

    /// <summary>What started the run.</summary>
    public RunTrigger Trigger { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The commit the run reconciles: every segment continues it, whatever the branch does meanwhile.</summary>
    public required CommitInfo Commit { get; init; }

    /// <summary>
    /// Which message may run the next segment: 1 is the job that started the run, 2 the first follow-up job, and so on.
    /// A message with another ticket is stale (a duplicate, or a follow-up of a segment already run) and does nothing.
    /// </summary>
    public int Ticket { get; init; } = 1;

    /// <summary>When it was last written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The run's segments so far; the last one has no end while it runs (or when its worker died).</summary>
    public IReadOnlyList<RunSegment> Segments { get; init; } = [];

    /// <summary>True once every declared resource was observed and the whole plan made: the run is applying.</summary>
    public bool Applying { get; init; }

    /// <summary>The declared resources observed so far, each as its planned change.</summary>
    public IReadOnlyList<PlannedResource> Planned { get; init; } = [];

    /// <summary>The acting changes that ended (succeeded, failed, or skipped for a failed dependency), in plan order.</summary>
    public IReadOnlyList<ResourceResult> Results { get; init; } = [];

    /// <summary>The inventory entries the ended writes leave (added or replaced).</summary>
    public ResourceInventory Written { get; init; } = ResourceInventory.Empty;

    /// <summary>Ids the ended changes removed from the inventory (deleted, detached).</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Writes that may have been sent but whose result was not recorded: the next segment observes them again.</summary>
    public IReadOnlyList<string> InFlight { get; init; } = [];

    /// <summary>The health of declared resources as observed in earlier segments.</summary>
    public IReadOnlyList<ResourceHealth> LiveHealth { get; init; } = [];

    /// <summary>Warnings of earlier segments, for the run's record.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the run only reports differences (drift mode detect, suspended, or a sync window holding a drift run).</summary>
    public bool DetectOnly { get; init; }

    /// <summary>Why a sync window holds this drift run to reporting, when one does.</summary>
    public string? DriftHeldByWindow { get; init; }

    /// <summary>What the sync windows said when the run started.</summary>
    public SyncWindowStatus? Window { get; init; }

    /// <summary>For a rollback run: the branch tip when it started.</summary>
    public string? RollbackTip { get; init; }

    /// <summary>True when the run ends a rollback hold (a new commit arrived on the branch); <see cref="Hold"/> is then null.</summary>
    public bool HoldChanged { get; init; }

    /// <summary>The rollback hold the run leaves, when <see cref="HoldChanged"/>.</summary>
    public RollbackHold? Hold { get; init; }
}

/// <summary>A declared resource as an earlier segment observed and planned it.</summary>
/// <param name="Id">The resource id.</param>
/// <param name="Action">The planned action.</param>
/// <param name="Digest">The <see cref="DeclarationDigest"/> of the declaration it was planned from.</param>
public sealed record PlannedResource(string Id, PlanAction Action, string Digest)
{
    /// <summary>Why, when the action alone does not say.</summary>
    public string? Reason { get; init; }

    /// <summary>Field-level differences (secrets already redacted).</summary>
    public IReadOnlyList<RecordedDiff> Diffs { get; init; } = [];
}
