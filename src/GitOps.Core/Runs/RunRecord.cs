using GitOps.Core.Apply;

namespace GitOps.Core.Runs;

/// <summary>
/// The record of one reconcile run, written on every path (Flux's deferred status patch): what started it, which
/// commit, what was planned, what happened to each resource, and every error. Never holds a secret value.
/// </summary>
public sealed record RunRecord
{
    /// <summary>The run id (sortable: newest first in the store).</summary>
    public required string RunId { get; init; }

    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The environment name.</summary>
    public required string Environment { get; init; }

    /// <summary><c>repository/environment</c>.</summary>
    public string EnvironmentKey => EnvironmentKeys.Of(Repository, Environment);

    /// <summary>What started it.</summary>
    public required RunTrigger Trigger { get; init; }

    /// <summary>The job that carried it.</summary>
    public string? JobId { get; init; }

    /// <summary>The webhook delivery, for push runs.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>Who asked, for manual runs.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Which delivery of the job this was (1 = first).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The commit the job asked for (null = branch tip).</summary>
    public string? RequestedCommit { get; init; }

    /// <summary>The commit reconciled, with author and message; null when it could not be resolved.</summary>
    public CommitInfo? Commit { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How it ended.</summary>
    public RunOutcome Outcome { get; init; }

    /// <summary>
    /// The <see cref="Conditions"/> reason of the <c>Ready</c> condition, set by the step or handler where the run
    /// ended (e.g. <see cref="Conditions.LeaseLost"/>); null for records written before reasons were recorded and
    /// for running or superseded runs.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>One sentence: what happened and what comes next.</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>
    /// The plan, when one was made (its JSON is the contract of <see cref="Planning.PlanJson"/>). Records written since
    /// issue 19 list only the changes that act (no-ops are counted in its summary) and at most
    /// <see cref="RunRecordCompaction.MaxListed"/> of them; the whole plan is <see cref="FullPlan"/>. Older records list
    /// every resource.
    /// </summary>
    public RecordedPlan? Plan { get; init; }

    /// <summary>Per-resource results of the apply (failures first when there are more than <see cref="RunRecordCompaction.MaxListed"/>; see <see cref="ResultCounts"/>).</summary>
    public IReadOnlyList<ResourceResult> Results { get; init; } = [];

    /// <summary>How many results there are by outcome, listed or not; null in records written before results were counted.</summary>
    public ResultCounts? ResultCounts { get; init; }

    /// <summary>
    /// The health of each resource the run wrote, and of each it found unhealthy when observing (see
    /// <c>reconcile.health</c>); healthy resources it only observed are counted in <see cref="HealthCounts"/>. Null when
    /// none was judged. Older records also list the healthy observed ones.
    /// </summary>
    public IReadOnlyList<ResourceHealth>? Health { get; init; }

    /// <summary>How many resources were judged healthy and unhealthy, listed or not; null when none was judged (and in older records).</summary>
    public HealthCounts? HealthCounts { get; init; }

    /// <summary>
    /// The invocations of a run that spent its time budget and continued in follow-up jobs (or was resumed after its
    /// worker died), in order; null for a run done in one.
    /// </summary>
    public IReadOnlyList<RunSegment>? Segments { get; init; }

    /// <summary>
    /// Where the run's full plan (<see cref="RunDetail"/>: every change, no-ops included, every result) is kept, for a run
    /// that changed something; null when there is none. Read through <c>IRunStore.GetDetailAsync</c>.
    /// </summary>
    public string? FullPlan { get; init; }

    /// <summary>Errors: validation diagnostics, fetch or observation failures, exceptions (messages only).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Warnings worth a look that did not stop the run, such as violations of policy rules with severity warn.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What the sync windows said for this run's trigger (and the override, when one was used); null without windows.</summary>
    public SyncWindowStatus? Window { get; init; }

    /// <summary>True when the run failed for a reason that retrying can fix (the job is retried by the queue).</summary>
    public bool Transient { get; init; }

    /// <summary>
    /// For a run narrowed to resources named by ARM events: what it observed and why. Null on a run of the whole
    /// environment.
    /// </summary>
    public RecordedScope? Scope { get; init; }

    /// <summary>
    /// On a drift run that found resources changed outside git: who changed each (from its ARM event), or an unknown
    /// actor when the difference was found by reading Azure. At most <see cref="MaxChangedBy"/>; null otherwise.
    /// </summary>
    public IReadOnlyList<ChangeAttribution>? ChangedBy { get; init; }

    /// <summary>The most <see cref="ChangedBy"/> entries a record keeps.</summary>
    public const int MaxChangedBy = 100;

    /// <summary>
    /// Alerts sent for this run and how each sink fared; added after the run by re-saving the record. A sink's
    /// failure is recorded here and never changes the outcome.
    /// </summary>
    public IReadOnlyList<Alerts.AlertDelivery> Notifications { get; init; } = [];

    /// <summary>For a <see cref="RunTrigger.Preview"/> run: the pull request previewed; null otherwise.</summary>
    public Previews.PullRequestRef? PullRequest { get; init; }

    /// <summary>
    /// For a run that applied a merged pull request: whether its plan matches the last preview of that pull request's
    /// head (by <see cref="Previews.PlanHash"/>); null when no preview of the merged head was found.
    /// </summary>
    public Previews.PreviewComparison? Preview { get; init; }
}
