using GitOps.Core.Inventory;
using GitOps.Core.Manifests;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The inventory of a narrowed run: the planner sees only the entries of the observed resources (so nothing outside
/// the scope can become a prune candidate: an event never causes a delete), and the entries the apply computed
/// replace those, every other entry kept as it was.
/// </summary>
internal static class ScopedInventory
{
    public static ResourceInventory Restrict(ResourceInventory full, IEnumerable<DeclaredResource> observed) =>
        new(observed.Select(r => full.Find(r.Id)).OfType<InventoryEntry>());

    public static ResourceInventory Merge(ResourceInventory full, IEnumerable<DeclaredResource> observed, ResourceInventory result)
    {
        var scoped = new HashSet<string>(observed.Select(r => r.Id), ResourceIds.Comparer);
        return new ResourceInventory(full.Entries.Where(e => !scoped.Contains(e.Id)).Concat(result.Entries));
    }
}
