using GitOps.Core.Events;
using GitOps.Core.Manifests;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Which declared resources a narrowed run observes (<see cref="RunScope"/>): those the changes name, their declared
/// ARM parents (a parent's GET shows its children, as a virtual network lists its subnets), their declared ARM children
/// (a PUT of a parent can replace them), and, when the change was a delete, every declared resource inside the deleted
/// one (the resources of a deleted group, the extension resources on a deleted resource). A resource group is nobody's
/// parent: a change to one resource never reads its group. Only declared resources are ever selected, so a change to
/// anything else, or a forged event, selects nothing.
/// </summary>
internal static partial class ObservationScope
{
    public const string Changed = "changed";
    public const string Parent = "parent of a changed resource";
    public const string Child = "child of a changed resource";
    public const string Inside = "inside a deleted resource";

    private const string Providers = "/providers/";

    /// <summary>The selected resources (in declaration order) and the record of the selection.</summary>
    public static (IReadOnlyList<DeclaredResource> Selected, RecordedScope Record) Select(IReadOnlyList<DeclaredResource> resources, RunScope scope)
    {
        // A delete wins over a write for the same resource: it reaches further.
        var targets = new Dictionary<string, ChangeKind?>(ResourceIds.Comparer);
        foreach (var change in scope.Changes)
        {
            targets[change.ResourceId] = targets.TryGetValue(change.ResourceId, out var known) && known == ChangeKind.Delete ? known : change.Kind;
        }

        var declared = new HashSet<string>(resources.Select(r => r.Id), ResourceIds.Comparer);
        var why = new Dictionary<string, string>(ResourceIds.Comparer);
        foreach (var target in targets.Keys)
        {
            if (declared.Contains(target))
            {
                why[target] = Changed;
            }

            foreach (var parent in ArmParents(target).Where(declared.Contains))
            {
                why.TryAdd(parent, Parent);
            }
        }

        foreach (var resource in resources)
        {
            if (why.ContainsKey(resource.Id))
            {
                continue;
            }

            foreach (var ancestor in Ancestors(resource.Id))
            {
                if (!targets.TryGetValue(ancestor, out var kind))
                {
                    continue;
                }

                // A delete (or a change of unknown kind) takes everything inside; a write reaches the ARM children only.
                if (kind != ChangeKind.Write)
                {
                    why[resource.Id] = Inside;
                    break;
                }

                if (IsArmChild(resource.Id, ancestor))
                {
                    why[resource.Id] = Child;
                    break;
                }
            }
        }

        var selected = resources.Where(r => why.ContainsKey(r.Id)).ToList();
        var notDeclared = targets.Keys.Where(t => !declared.Contains(t)).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var record = new RecordedScope(
            scope.Reason,
            targets.Count,
            selected.Take(RecordedScope.MaxListed).Select(r => new ScopedResource(r.Id, why[r.Id])).ToList(),
            selected.Count,
            notDeclared.Take(RecordedScope.MaxListed).ToList(),
            notDeclared.Count);
        return (selected, record);
    }

    /// <summary>Every proper prefix of an id that ends at a '/' (its group, its parents, the resource it extends…).</summary>
    public static IEnumerable<string> Ancestors(string id)
    {
        for (var i = id.IndexOf('/', 1); i > 0; i = id.IndexOf('/', i + 1))
        {
            yield return id[..i];
        }
    }

    /// <summary>The ARM parents of a nested resource: <c>…/providers/ns/a/x/b/y</c> has the parent <c>…/providers/ns/a/x</c>.</summary>
    public static IEnumerable<string> ArmParents(string id)
    {
        var providers = id.LastIndexOf(Providers, StringComparison.OrdinalIgnoreCase);
        if (providers < 0)
        {
            yield break;
        }

        // ns/type/name[/type/name]*: a parent ends after each name but the last.
        var start = providers + Providers.Length;
        var segments = id[start..].Split('/');
        var length = start + segments[0].Length;
        for (var i = 1; i + 1 < segments.Length - 2; i += 2)
        {
            length += 1 + segments[i].Length + 1 + segments[i + 1].Length;
            yield return id[..length];
        }
    }

    // A nested type under the same provider resource (a subnet of a network), not an extension resource on it.
    private static bool IsArmChild(string id, string parent) =>
        parent.Contains(Providers, StringComparison.OrdinalIgnoreCase)
        && id.LastIndexOf(Providers, StringComparison.OrdinalIgnoreCase) == parent.LastIndexOf(Providers, StringComparison.OrdinalIgnoreCase);
}
