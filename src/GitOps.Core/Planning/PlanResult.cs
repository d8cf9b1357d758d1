namespace GitOps.Core.Planning;

/// <summary>
/// The output of <see cref="Planner.Plan"/>: every declared resource (no-ops included) and every prune candidate,
/// in a deterministic order (dependency waves, then id), with a summary.
/// </summary>
/// <param name="Environment">The environment name.</param>
/// <param name="Changes">One entry per resource.</param>
/// <param name="Notes">Plan-level messages, e.g. why prune deleted nothing.</param>
public sealed record PlanResult(string Environment, IReadOnlyList<ResourceChange> Changes, IReadOnlyList<string> Notes)
{
    /// <summary>Counts per action.</summary>
    public PlanSummary Summary { get; } = PlanSummary.Of(Changes);
}
