using GitOps.Core.Inventory;

namespace GitOps.Core.Apply;

/// <summary>The outcome of applying a plan: one result per acting change, and the inventory to keep.</summary>
/// <param name="Results">Results in plan order.</param>
/// <param name="Inventory">The inventory after this apply (see <see cref="InventoryUpdate"/>).</param>
public sealed record ApplyResult(IReadOnlyList<ResourceResult> Results, ResourceInventory Inventory)
{
    /// <summary>True when no change failed or was skipped.</summary>
    public bool Succeeded => Results.All(r => r.Outcome == ResourceOutcome.Succeeded);

    /// <summary>True when every failure is transient, so retrying the whole job can converge.</summary>
    public bool OnlyTransientFailures =>
        Results.Where(r => r.Outcome == ResourceOutcome.Failed).All(r => r.Transient);

    /// <summary>Number of ARM writes (PUT or DELETE) that were sent and succeeded.</summary>
    public int Writes => Results.Count(r => r.Outcome == ResourceOutcome.Succeeded && r.Action is Planning.PlanAction.Create or Planning.PlanAction.Update or Planning.PlanAction.Delete);
}
