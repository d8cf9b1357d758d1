using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;

namespace GitOps.Core.Planning;

/// <remarks>
/// How a plan is made. For each declared resource (in dependency waves, ids in ordinal-ignore-case order within a
/// wave):
/// <list type="bullet">
/// <item><c>policy: detach</c>: <see cref="PlanAction.Detach"/>, never written.</item>
/// <item>Absent in Azure: <see cref="PlanAction.Create"/> (<c>observe</c>: drift "absent in Azure").</item>
/// <item>Present: the declared body is compared with the live one (<see cref="BodyDiffer"/>, <see cref="ArmValueRules"/>).
/// Visible differences make an <see cref="PlanAction.Update"/>. When the inventory entry's digest differs from the
/// declaration's, the declaration changed since the last apply, maybe in fields ARM never returns: that is an update
/// too, whose diffs add the declared paths ARM did not return (live null, secrets redacted) — unless only values
/// changed (the entry's <see cref="InventoryEntry.Shape"/>, which covers the api-version, equals the declaration's),
/// nothing is ignored, no Key Vault secret feeds it, and ARM returns every declared path with its new value: then the change is already in Azure (a
/// run that applied it died before recording, or someone made it by hand) and the plan is a no-op that refreshes the
/// digest. No entry and no visible difference is a no-op: the
/// apply adopts the resource.</item>
/// <item><c>policy: observe</c> and drift mode <c>detect</c> turn what would be written into <see cref="PlanAction.Drift"/>.</item>
/// </list>
/// Then the prune candidates (inventory entries no longer declared), in reverse dependency order: delete (prune on,
/// <c>onDelete: delete</c>), detach (<c>onDelete: detach</c>, or prune off), or drift when the deletes exceed the
/// budget (nothing is deleted then, and a note says why) or the drift mode is <c>detect</c> (which writes nothing).
/// </remarks>
public static partial class Planner
{
    private static PlanResult PlanCore(PlanInput input)
    {
        var notes = new List<string>();
        var desiredIds = new Dictionary<string, DeclaredResource>(input.Desired.Count, ResourceIds.Comparer);
        foreach (var resource in input.Desired)
        {
            if (!desiredIds.TryAdd(resource.Id, resource))
            {
                throw new ArgumentException(
                    $"Resource '{resource.Id}' is declared twice ({desiredIds[resource.Id].Location} and {resource.Location}); " +
                    "each resource may be declared once per environment.",
                    nameof(input));
            }
        }

        var live = CaseInsensitive(input.Live);
        var differ = new BodyDiffer();
        var changes = new List<ResourceChange>(input.Desired.Count + input.Inventory.Entries.Count);
        foreach (var wave in OrderInWaves(input.Desired, r => r.Id, r => r.DependsOn, notes))
        {
            foreach (var resource in wave)
            {
                changes.Add(input.Planned is { } planned && planned.TryGetValue(resource.Id, out var known)
                    ? known with { Id = resource.Id, Type = resource.Type, ApiVersion = resource.ApiVersion, Desired = resource, DependsOn = resource.DependsOn }
                    : PlanDeclared(resource, live, input.Inventory, input.Options, differ));
            }
        }

        PlanPrune(input, desiredIds, changes, notes);
        return new PlanResult(input.Environment, changes, notes);
    }

    private static ResourceChange PlanDeclared(
        DeclaredResource resource,
        IReadOnlyDictionary<string, JsonObject> live,
        ResourceInventory inventory,
        PlanOptions options,
        BodyDiffer differ)
    {
        var policy = resource.Reconcile.Policy;
        if (policy == ResourcePolicy.Detach)
        {
            return Change(resource, PlanAction.Detach, PlanReasons.PolicyDetach);
        }

        var detect = options.DriftMode == DriftMode.Detect;
        if (!live.TryGetValue(resource.Id, out var liveBody))
        {
            return policy == ResourcePolicy.Observe
                ? Change(resource, PlanAction.Drift, PlanReasons.AbsentInAzure)
                : detect
                    ? Change(resource, PlanAction.Drift, PlanReasons.DetectMode(PlanAction.Create, PlanReasons.AbsentInAzure))
                    : Change(resource, PlanAction.Create, null);
        }

        // An observed resource is never applied, so the inventory digest says nothing about it.
        var entry = inventory.Find(resource.Id);
        var declarationChanged = policy == ResourcePolicy.Manage && entry is not null
            && !string.Equals(entry.Digest, DeclarationDigest.Compute(resource), StringComparison.Ordinal);

        differ.Compare(resource.Type, resource.Reconcile.Ignore, collectUnreturned: declarationChanged, resource.Body, liveBody, resource.Schema, resource.Name);
        if (differ.Diffs.Count == 0 && !declarationChanged)
        {
            return Change(resource, PlanAction.Noop, entry is null && policy == ResourcePolicy.Manage ? PlanReasons.Adopted : null);
        }

        // Only values changed, and Azure shows every new one: writing again would send what Azure already has (a run
        // that applied it died before recording). A failed PUT (empty digest, no shape), a new api-version or a
        // changed shape (a removed field, which only a PUT removes) and a Key Vault reference (a rotated secret, whose live
        // value is hidden) still write.
        if (declarationChanged && differ.Diffs.Count == 0 && differ.Unreturned.Count == 0 && resource.Reconcile.Ignore.Count == 0
            && resource.SecretReferences.Count == 0
            && entry!.Digest.Length > 0 && entry.Shape is not null
            && string.Equals(entry.Shape, DeclarationDigest.ComputeShape(resource), StringComparison.Ordinal))
        {
            return Change(resource, PlanAction.Noop, PlanReasons.AlreadyApplied);
        }

        var diffs = SortByPath(differ.Diffs, declarationChanged ? differ.Unreturned : []);
        var reason = declarationChanged ? PlanReasons.DeclarationChanged : null;
        if (policy == ResourcePolicy.Observe)
        {
            return Change(resource, PlanAction.Drift, PlanReasons.PolicyObserve) with { Diffs = diffs };
        }

        return detect
            ? Change(resource, PlanAction.Drift, PlanReasons.DetectMode(PlanAction.Update, reason)) with { Diffs = diffs }
            : Change(resource, PlanAction.Update, reason) with { Diffs = diffs };
    }

    private static void PlanPrune(
        PlanInput input,
        Dictionary<string, DeclaredResource> desiredIds,
        List<ResourceChange> changes,
        List<string> notes)
    {
        var candidates = new List<InventoryEntry>();
        foreach (var entry in input.Inventory.Entries)
        {
            if (!desiredIds.ContainsKey(entry.Id))
            {
                candidates.Add(entry);
            }
        }

        if (candidates.Count == 0)
        {
            return;
        }

        var prune = input.Options.Prune;
        var deletes = prune.Enabled ? candidates.Count(e => e.OnDelete == DeleteBehavior.Delete) : 0;
        var overBudget = deletes > prune.DeleteBudget;
        if (overBudget)
        {
            notes.Add(PlanReasons.OverDeleteBudgetNote(deletes, prune.DeleteBudget));
        }

        var detect = input.Options.DriftMode == DriftMode.Detect;
        var waves = OrderInWaves(candidates, e => e.Id, e => e.DependsOn, notes);

        // Dependents go first when deleting: reverse the waves, keep id order inside each.
        for (var w = waves.Count - 1; w >= 0; w--)
        {
            foreach (var entry in waves[w])
            {
                var (action, reason) = entry.OnDelete == DeleteBehavior.Detach ? (PlanAction.Detach, PlanReasons.OnDeleteDetach)
                    : !prune.Enabled ? (PlanAction.Detach, PlanReasons.PruneOff)
                    : overBudget ? (PlanAction.Drift, PlanReasons.OverDeleteBudget(deletes, prune.DeleteBudget))
                    : detect ? (PlanAction.Drift, PlanReasons.DetectMode(PlanAction.Delete, PlanReasons.RemovedFromGit))
                    : (PlanAction.Delete, PlanReasons.RemovedFromGit);
                changes.Add(new ResourceChange
                {
                    Id = entry.Id,
                    Type = entry.Type,
                    ApiVersion = entry.ApiVersion,
                    Action = action,
                    Reason = reason,
                    DependsOn = entry.DependsOn,
                });
            }
        }
    }

    private static List<IReadOnlyList<T>> OrderInWaves<T>(
        IReadOnlyList<T> items,
        Func<T, string> key,
        Func<T, IEnumerable<string>> dependencies,
        List<string> notes)
    {
        var waves = DependencyGraph.Waves(items, key, dependencies, out var cycle).ToList();
        if (cycle is null)
        {
            return waves;
        }

        // Validation rejects cycles before planning; if one gets here, every resource must still be planned.
        notes.Add(PlanReasons.DependencyCycle(cycle));
        var placed = new HashSet<string>(waves.SelectMany(w => w).Select(key), ResourceIds.Comparer);
        waves.Add(items.Where(i => !placed.Contains(key(i))).OrderBy(key, ResourceIds.Comparer).ToList());
        return waves;
    }

    private static ResourceChange Change(DeclaredResource resource, PlanAction action, string? reason) => new()
    {
        Id = resource.Id,
        Type = resource.Type,
        ApiVersion = resource.ApiVersion,
        Action = action,
        Reason = reason,
        Desired = resource,
        DependsOn = resource.DependsOn,
    };

    private static List<FieldDiff> SortByPath(IReadOnlyList<FieldDiff> visible, IReadOnlyList<FieldDiff> unreturned)
    {
        var all = new List<FieldDiff>(visible.Count + unreturned.Count);
        all.AddRange(visible);
        all.AddRange(unreturned);

        // Stable, so several extra elements of one array ("/-") keep the order Azure listed them in.
        return all.Count < 2 ? all : all.OrderBy(d => d.Path, StringComparer.Ordinal).ToList();
    }

    private static IReadOnlyDictionary<string, JsonObject> CaseInsensitive(IReadOnlyDictionary<string, JsonObject> live)
    {
        if (live is Dictionary<string, JsonObject> dictionary && ReferenceEquals(dictionary.Comparer, StringComparer.OrdinalIgnoreCase))
        {
            return dictionary;
        }

        var copy = new Dictionary<string, JsonObject>(live.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, body) in live)
        {
            copy.TryAdd(id, body);
        }

        return copy;
    }
}
