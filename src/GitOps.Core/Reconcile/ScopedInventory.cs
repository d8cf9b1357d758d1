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

    /// <summary>
    /// For a targeted push: the entries of the observed resources and every entry no longer declared (the prune
    /// candidates, planned from the inventory alone), so deletes are planned exactly as a full run plans them.
    /// </summary>
    public static ResourceInventory RestrictWithUndeclared(ResourceInventory full, IEnumerable<DeclaredResource> observed, IReadOnlyList<DeclaredResource> declared)
    {
        var ids = new HashSet<string>(declared.Select(r => r.Id), ResourceIds.Comparer);
        return new(Restrict(full, observed).Entries.Concat(full.Entries.Where(e => !ids.Contains(e.Id))));
    }

    /// <summary>
    /// The inventory after a narrowed apply: every entry the planner saw (<paramref name="planned"/>) is replaced by
    /// what the apply computed (a pruned one leaves), every other entry is kept as it was.
    /// </summary>
    public static ResourceInventory Merge(ResourceInventory full, ResourceInventory planned, IEnumerable<DeclaredResource> observed, ResourceInventory result)
    {
        var scoped = new HashSet<string>(observed.Select(r => r.Id), ResourceIds.Comparer);
        scoped.UnionWith(planned.Entries.Select(e => e.Id));
        return new ResourceInventory(full.Entries.Where(e => !scoped.Contains(e.Id)).Concat(result.Entries));
    }
}
