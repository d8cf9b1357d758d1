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

    /// <summary>
    /// One entry per resource, in the plan's order: every resource (no-ops included) in <c>gitops plan</c> output, a
    /// full plan and older records; only the changes that act, at most <see cref="RunRecordCompaction.MaxListed"/>, in a
    /// run record (<see cref="ForRecord"/>).
    /// </summary>
    public IReadOnlyList<RecordedChange> Changes { get; init; } = [];

    /// <summary>Changes that act (not no-ops) but are not listed in <see cref="Changes"/>, because the record lists at most <see cref="RunRecordCompaction.MaxListed"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int Unlisted { get; init; }

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

    /// <summary>
    /// The form a run record keeps: the changes that act, in plan order, at most <paramref name="max"/> of them; no-ops
    /// are counted in <see cref="Summary"/>, never listed, so a 10,000-resource run that changed nothing records a few
    /// hundred bytes of plan.
    /// </summary>
    /// <param name="plan">The planner's result.</param>
    /// <param name="max">The most changes to list.</param>
    public static RecordedPlan ForRecord(PlanResult plan, int max = RunRecordCompaction.MaxListed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var acting = plan.Changes.Where(c => c.Action != PlanAction.Noop).ToList();
        return new RecordedPlan
        {
            Environment = plan.Environment,
            Changes = acting.Take(max).Select(RecordedChange.From).ToList(),
            Unlisted = Math.Max(0, acting.Count - max),
            Notes = plan.Notes,
            Summary = plan.Summary,
        };
    }
}
