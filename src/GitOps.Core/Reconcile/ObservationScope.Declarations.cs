using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The selection of a targeted push: which declared resources a push run must observe for its plan to be the plan of a
/// full run, judged against the inventory of the last applies rather than by reading Azure.
/// </summary>
internal static partial class ObservationScope
{
    public const string DeclarationChanged = "declaration changed";
    public const string NotInInventory = "not in inventory";
    public const string ToDelete = "to delete";

    /// <summary>
    /// Selects, in declaration order: every managed resource whose declaration differs from its inventory entry (the
    /// digest of the expanded, secret-pinned declaration, its <c>onDelete</c> or its dependencies) or that has no entry
    /// (new, adopted, or never applied), every resource that left management (detach, observe) while still in the
    /// inventory, and the direct dependents of those (through <c>dependsOn</c>, <c>ref()</c> or <c>scope</c>) and their
    /// ARM children (a PUT of a parent can replace them). A resource group is nobody's dependency here either: a change
    /// to a group's tags changes nothing declared inside it. The record also lists the inventory entries no longer
    /// declared (<see cref="ToDelete"/>): they are planned from the inventory, never read.
    /// </summary>
    public static (IReadOnlyList<DeclaredResource> Selected, RecordedScope Record) SelectChanged(IReadOnlyList<DeclaredResource> resources, ResourceInventory inventory)
    {
        var why = new Dictionary<string, string>(ResourceIds.Comparer);
        var changed = new HashSet<string>(ResourceIds.Comparer);
        var groups = new HashSet<string>(resources.Where(r => string.Equals(r.Type, ResourceIds.ResourceGroupType, StringComparison.OrdinalIgnoreCase)).Select(r => r.Id), ResourceIds.Comparer);
        foreach (var resource in resources)
        {
            var entry = inventory.Find(resource.Id);
            var reason = resource.Reconcile.Policy switch
            {
                ResourcePolicy.Manage when entry is null => NotInInventory,
                ResourcePolicy.Manage when !SameAsApplied(resource, entry!) => DeclarationChanged,

                // Left management: the plan drops its entry (detach costs no read), so prune never deletes it later.
                _ when resource.Reconcile.Policy != ResourcePolicy.Manage && entry is not null => DeclarationChanged,
                _ => null,
            };
            if (reason is not null)
            {
                why[resource.Id] = reason;
                changed.Add(resource.Id);
            }
        }

        var sources = changed.Where(id => !groups.Contains(id)).ToHashSet(ResourceIds.Comparer);
        foreach (var resource in resources)
        {
            if (why.ContainsKey(resource.Id) || sources.Count == 0)
            {
                continue;
            }

            var on = resource.DependsOn.FirstOrDefault(sources.Contains) ?? (resource.Scope is { } scope && sources.Contains(scope) ? scope : null);
            if (on is not null)
            {
                why[resource.Id] = $"depends on {on}";
            }
            else if (ArmParents(resource.Id).FirstOrDefault(sources.Contains) is { } parent)
            {
                why[resource.Id] = $"child of {parent}";
            }
        }

        var selected = resources.Where(r => why.ContainsKey(r.Id)).ToList();
        var declared = new HashSet<string>(resources.Select(r => r.Id), ResourceIds.Comparer);
        var deletes = inventory.Entries.Where(e => !declared.Contains(e.Id)).Select(e => new ScopedResource(e.Id, ToDelete)).ToList();
        var listed = selected.Select(r => new ScopedResource(r.Id, why[r.Id])).Concat(deletes).Take(RecordedScope.MaxListed).ToList();
        var reasonText = $"Targeted push: {changed.Count} declaration(s) changed or new since the last applied commit, {selected.Count - changed.Count} dependent(s), {deletes.Count} inventory entr{(deletes.Count == 1 ? "y" : "ies")} to delete; {resources.Count - selected.Count} untouched resource(s) left to ARM events and the drift sweep";
        return (selected, new RecordedScope(reasonText, changed.Count, listed, selected.Count, [], 0) { AppliesCommit = true });
    }

    // The inventory entry holds what the last apply sent: the digest of the body and api-version, and what a later
    // prune needs (onDelete, the dependencies that order deletes). Any difference means the apply must see it again.
    private static bool SameAsApplied(DeclaredResource resource, InventoryEntry entry) =>
        entry.Digest.Length > 0
        && string.Equals(entry.Digest, DeclarationDigest.Compute(resource), StringComparison.Ordinal)
        && entry.OnDelete == resource.Reconcile.OnDelete
        && entry.DependsOn.Count == resource.DependsOn.Count
        && entry.DependsOn.ToHashSet(ResourceIds.Comparer).SetEquals(resource.DependsOn);
}
