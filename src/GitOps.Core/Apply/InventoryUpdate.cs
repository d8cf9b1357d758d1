using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Core.Apply;

/// <summary>
/// Computes the inventory to keep after an apply. The rules (Flux's inventory, with its #1664 lesson that failed
/// deletes must be merged back so they are retried):
/// <list type="bullet">
/// <item>a managed resource that was created, updated or already matched is recorded with its current digest;</item>
/// <item>a skipped write keeps the previous entry; a failed create or update is recorded with an empty digest, because
/// the operation may have created or changed it half-way: prune must still find it, and the next run must write it
/// again even when ARM kept the new body (a failed PUT often leaves it, with provisioningState <c>Failed</c>);</item>
/// <item><c>observe</c> and <c>detach</c> resources leave the inventory (prune must never delete them);</item>
/// <item>a successful delete or detach removes the entry; a failed, skipped or over-budget delete keeps it.</item>
/// </list>
/// </summary>
public static class InventoryUpdate
{
    /// <summary>Computes the new inventory from the previous one, the plan and the results of the acting changes.</summary>
    /// <remarks>An acting change without a result (not attempted) keeps the previous entry.</remarks>
    public static ResourceInventory Compute(ResourceInventory previous, PlanResult plan, IReadOnlyList<ResourceResult> results)
    {
        var outcome = results.ToDictionary(r => r.Id, r => r.Outcome, StringComparer.OrdinalIgnoreCase);
        var entries = new List<InventoryEntry>();
        foreach (var change in plan.Changes)
        {
            if (After(change, outcome.TryGetValue(change.Id, out var o) ? o : null, previous.Find(change.Id)) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return new ResourceInventory(entries);
    }

    /// <summary>
    /// The entry one change leaves, by the rules above: the new entry, the previous one, or null when the resource
    /// leaves the inventory. A checkpointed run keeps these per write, so its inventory survives a run that ends before
    /// it plans again.
    /// </summary>
    /// <param name="change">The planned change.</param>
    /// <param name="outcome">How its write ended; null when it was not attempted (acting changes) or does not act.</param>
    /// <param name="old">The previous entry, or null.</param>
    public static InventoryEntry? After(ResourceChange change, ResourceOutcome? outcome, InventoryEntry? old)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Desired is { } desired)
        {
            if (desired.Reconcile.Policy != ResourcePolicy.Manage)
            {
                return null;
            }

            var applied = change.Action switch
            {
                PlanAction.Noop => true,
                PlanAction.Create or PlanAction.Update => outcome == ResourceOutcome.Succeeded,
                _ => false,
            };
            if (applied)
            {
                return Entry(desired, DeclarationDigest.Compute(desired)) with { Shape = DeclarationDigest.ComputeShape(desired) };
            }

            if (change.Action is PlanAction.Create or PlanAction.Update && outcome == ResourceOutcome.Failed)
            {
                // The PUT was sent: ARM may have kept the new body while the operation failed, so the next plan
                // could see no difference. An empty digest never matches, so the next run writes it again.
                return Entry(desired, string.Empty);
            }

            return old;
        }

        // A prune candidate (in the inventory, gone from git).
        var removed = change.Action switch
        {
            PlanAction.Detach => true,
            PlanAction.Delete => outcome == ResourceOutcome.Succeeded,
            _ => false,
        };
        return removed ? null : old;
    }

    private static InventoryEntry Entry(DeclaredResource resource, string digest) =>
        new(resource.Id, resource.Type, resource.ApiVersion, digest, resource.DependsOn, resource.Reconcile.OnDelete);
}
