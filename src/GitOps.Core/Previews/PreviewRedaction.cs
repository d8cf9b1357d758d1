using GitOps.Core.Inventory;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>
/// Bounds what a pull request can learn about Azure through its preview. Anyone who can open a pull request can declare
/// any resource id in it, and a plan compares the declaration with live state. So for every resource the environment's
/// inventory does not hold (it has never applied it), the preview shows neither its live values, nor which fields
/// differ (declaring a guessed value and watching the diff would test it), nor whether it exists (create and adopt
/// read the same): the change is shown as <see cref="PlanAction.Create"/> without field differences, marked
/// <see cref="RecordedChange.LiveHidden"/>. Resources in the inventory are the environment's own, already visible to
/// whoever reviews its pull requests, and show as any plan does (secrets redacted as always).
/// </summary>
public static class PreviewRedaction
{
    /// <summary>The reason shown on a hidden change.</summary>
    public const string HiddenReason = "not yet managed by this environment: merging creates it, or adopts it if it already exists; its live state is not shown in a preview";

    /// <summary>The plan as a preview may show it.</summary>
    /// <param name="plan">The recorded plan.</param>
    /// <param name="inventory">The environment's inventory (what it has applied).</param>
    public static RecordedPlan Apply(RecordedPlan plan, ResourceInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(inventory);
        var changes = plan.Changes.Select(change => inventory.Contains(change.Id)
            ? change
            : change with { Action = PlanAction.Create, Reason = HiddenReason, Diffs = [], LiveHidden = true }).ToList();
        return plan with { Changes = changes, Summary = Count(changes) };
    }

    private static PlanSummary Count(IReadOnlyList<RecordedChange> changes) => new(
        changes.Count(c => c.Action == PlanAction.Create),
        changes.Count(c => c.Action == PlanAction.Update),
        changes.Count(c => c.Action == PlanAction.Delete),
        changes.Count(c => c.Action == PlanAction.Detach),
        changes.Count(c => c.Action == PlanAction.Noop),
        changes.Count(c => c.Action == PlanAction.Drift));
}
