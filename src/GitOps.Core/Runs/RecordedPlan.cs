using GitOps.Core.Planning;

namespace GitOps.Core.Runs;

/// <summary>
/// A plan as a run records it, and as <c>gitops plan --output json</c> prints it (a documented contract):
/// <c>{ environment, changes: [ { id, type, apiVersion, action, reason?, diffs: [ { path, desired, live, redacted? } ] } ], notes, summary }</c>.
/// </summary>
/// <remarks>
/// Typed so that the state update, the alert rules, the status page and the CLI read the same fields through the
/// compiler instead of by string keys (a renamed action used to break drift counting silently). Property names and
/// action spellings are the ones records already in storage were written with, so
/// <see cref="RunJson.DeserializeRun"/> reads them unchanged; fields may only be added.
/// </remarks>
public sealed record RecordedPlan
{
    /// <summary>The environment name.</summary>
    public required string Environment { get; init; }

    /// <summary>One entry per resource, in the plan's order (no-ops included).</summary>
    public IReadOnlyList<RecordedChange> Changes { get; init; } = [];

    /// <summary>Plan-level messages, e.g. why prune deleted nothing.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Counts per action.</summary>
    public PlanSummary Summary { get; init; } = PlanSummary.Of([]);

    /// <summary>The recorded form of a plan.</summary>
    /// <param name="plan">The planner's result.</param>
    public static RecordedPlan From(PlanResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new RecordedPlan
        {
            Environment = plan.Environment,
            Changes = plan.Changes.Select(RecordedChange.From).ToList(),
            Notes = plan.Notes,
            Summary = plan.Summary,
        };
    }
}
