namespace GitOps.Core.Manifests;

/// <summary>
/// Orders items by their dependencies into waves: every item's dependencies are in earlier waves, so a wave can run
/// in parallel. Used for validation (cycles), plan output order, apply waves and (reversed) delete order.
/// </summary>
public static class DependencyGraph
{
    /// <summary>
    /// Sorts items into dependency waves. Dependencies that are not among the items are ignored (they are outside the
    /// run). Within a wave, items are ordered by key (ordinal, case-insensitive) so the result is deterministic.
    /// </summary>
    /// <param name="items">The items.</param>
    /// <param name="key">An item's key (a resource id), compared case-insensitively.</param>
    /// <param name="dependencies">The keys an item depends on.</param>
    /// <param name="cycle">When the items hold a cycle: the keys along it, first key repeated at the end; otherwise null.</param>
    /// <returns>The waves; items on or behind a cycle are left out.</returns>
    public static IReadOnlyList<IReadOnlyList<T>> Waves<T>(
        IReadOnlyCollection<T> items,
        Func<T, string> key,
        Func<T, IEnumerable<string>> dependencies,
        out IReadOnlyList<string>? cycle)
    {
        var comparer = StringComparer.OrdinalIgnoreCase;
        var byKey = new Dictionary<string, T>(items.Count, comparer);
        foreach (var item in items)
        {
            byKey.TryAdd(key(item), item);
        }

        // Kahn's algorithm on the in-run edges only.
        var pending = new Dictionary<string, int>(byKey.Count, comparer);
        var dependents = new Dictionary<string, List<string>>(comparer);
        foreach (var (id, item) in byKey)
        {
            var count = 0;
            foreach (var dependency in dependencies(item).Distinct(comparer))
            {
                if (comparer.Equals(dependency, id) || !byKey.ContainsKey(dependency))
                {
                    continue;
                }

                count++;
                if (!dependents.TryGetValue(dependency, out var list))
                {
                    dependents[dependency] = list = [];
                }

                list.Add(id);
            }

            pending[id] = count;
        }

        var waves = new List<IReadOnlyList<T>>();
        var ready = pending.Where(p => p.Value == 0).Select(p => p.Key).ToList();
        var placed = 0;
        while (ready.Count > 0)
        {
            ready.Sort(comparer);
            waves.Add(ready.Select(id => byKey[id]).ToList());
            placed += ready.Count;
            var next = new List<string>();
            foreach (var id in ready)
            {
                if (!dependents.TryGetValue(id, out var list))
                {
                    continue;
                }

                foreach (var dependent in list)
                {
                    if (--pending[dependent] == 0)
                    {
                        next.Add(dependent);
                    }
                }
            }

            ready = next;
        }

        cycle = placed == byKey.Count ? null : FindCycle(byKey, dependencies, pending, comparer);
        return waves;
    }

    private static IReadOnlyList<string> FindCycle<T>(
        Dictionary<string, T> byKey,
        Func<T, IEnumerable<string>> dependencies,
        Dictionary<string, int> pending,
        StringComparer comparer)
    {
        // Every unplaced node has an unplaced dependency, so walking unplaced dependencies must revisit a node.
        var start = pending.Where(p => p.Value > 0).Select(p => p.Key).Order(comparer).First();
        var path = new List<string>();
        var seenAt = new Dictionary<string, int>(comparer);
        var current = start;
        while (!seenAt.ContainsKey(current))
        {
            seenAt[current] = path.Count;
            path.Add(current);
            current = dependencies(byKey[current])
                .Where(d => byKey.ContainsKey(d) && pending[d] > 0 && !comparer.Equals(d, current))
                .Order(comparer)
                .First();
        }

        var cycle = path.Skip(seenAt[current]).ToList();
        cycle.Add(current);
        return cycle;
    }
}
