using System.Collections.Concurrent;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>
/// Learns which declared resources do not exist from list calls instead of a GET each (issue 19; docs/architecture.md,
/// "Existence from lists"). A first apply of 10,000 resources would otherwise spend 10,000 GETs, at ARM's 25 reads a
/// second, to hear "not found" 10,000 times.
/// </summary>
/// <remarks>
/// <para>A resource's collection is its id without its last name (<c>…/providers/Microsoft.Storage/storageAccounts</c>,
/// <c>…/virtualNetworks/vnet/subnets</c>, <c>/subscriptions/{s}/resourceGroups</c>). Collections are listed shallowest
/// first, so a parent found absent makes everything below it absent without another call, and a list answering that
/// its parent is missing does the same.</para>
/// <para>A collection is listed only when the list can answer for at least <see cref="ApplyOptions.MinListCandidates"/>
/// resources (its declared members and what is declared below them), and only up to that many pages: past that, GETs
/// are cheaper. Any failure (a type that cannot be listed, a refused or throttled list, a client that cannot list)
/// concludes nothing, and those resources are read with a GET as before: a wrong "absent" would plan a create.</para>
/// <para>Only absence is concluded; a listed resource is still read with a GET for its body, since list bodies are not
/// always complete (some types leave properties out of lists).</para>
/// </remarks>
internal sealed class ExistenceProbe(IArmResourceClient client, ApplyOptions options)
{
    /// <summary>The ids of <paramref name="candidates"/> that lists show do not exist (case-insensitive).</summary>
    public async Task<IReadOnlySet<string>> FindAbsentAsync(IReadOnlyList<DeclaredResource> candidates, CancellationToken cancellationToken)
    {
        var absent = new ConcurrentDictionary<string, byte>(StringComparer.OrdinalIgnoreCase);
        var apiVersions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in candidates)
        {
            if (resource.Reconcile.Policy != ResourcePolicy.Detach && IsListable(resource.Id))
            {
                apiVersions.TryAdd(resource.Id.TrimEnd('/'), resource.ApiVersion);
            }
        }

        if (apiVersions.Count < options.MinListCandidates)
        {
            return new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        var below = CountDescendants(apiVersions.Keys);
        foreach (var level in apiVersions.Keys.GroupBy(Depth).OrderBy(g => g.Key))
        {
            var collections = new List<(string Collection, List<string> Members, int Answers)>();
            foreach (var collection in level.Where(id => !UnderAbsent(id, absent)).GroupBy(CollectionOf, StringComparer.OrdinalIgnoreCase))
            {
                var members = collection.ToList();
                var answers = members.Sum(id => 1 + below.GetValueOrDefault(id));
                if (answers >= options.MinListCandidates)
                {
                    collections.Add((collection.Key, members, answers));
                }
            }

            await Parallel.ForEachAsync(
                collections,
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelReads, CancellationToken = cancellationToken },
                async (collection, ct) =>
                {
                    var listed = await ListAsync(collection.Collection, apiVersions[collection.Members[0]], collection.Answers, ct).ConfigureAwait(false);
                    foreach (var member in collection.Members.Where(id => listed is not null && !listed.Contains(id)))
                    {
                        absent[member] = 0;
                    }
                }).ConfigureAwait(false);
        }

        // Everything under an absent resource is absent too, listed or not.
        var result = new HashSet<string>(absent.Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var id in apiVersions.Keys.Where(id => UnderAbsent(id, absent)))
        {
            result.Add(id);
        }

        return result;
    }

    // The members of a collection, every page of it; null when the list concludes nothing.
    private async Task<HashSet<string>?> ListAsync(string collection, string apiVersion, int maxPages, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? nextLink = null;
        try
        {
            for (var page = 0; page < maxPages; page++)
            {
                var answer = await client.ListAsync(collection, apiVersion, nextLink, cancellationToken).ConfigureAwait(false);
                if (answer.ParentMissing)
                {
                    return [];
                }

                foreach (var id in answer.Ids)
                {
                    ids.Add(id.TrimEnd('/'));
                }

                nextLink = answer.NextLink;
                if (nextLink is null)
                {
                    return ids;
                }
            }

            // More pages than GETs of what the list could answer for: those GETs are cheaper.
            return null;
        }
        catch (Exception error) when (error is ArmRequestException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    // How many declared resources sit below each one (a subnet below its network, a record set below its zone).
    private static Dictionary<string, int> CountDescendants(IEnumerable<string> ids)
    {
        var set = new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase);
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in set)
        {
            foreach (var ancestor in Ancestors(id).Where(set.Contains))
            {
                counts[ancestor] = counts.GetValueOrDefault(ancestor) + 1;
            }
        }

        return counts;
    }

    private static bool UnderAbsent(string id, ConcurrentDictionary<string, byte> absent) => Ancestors(id).Any(absent.ContainsKey);

    // Every proper prefix of the id that ends at a segment boundary.
    private static IEnumerable<string> Ancestors(string id)
    {
        for (var slash = id.IndexOf('/', 1); slash > 0; slash = id.IndexOf('/', slash + 1))
        {
            yield return id[..slash];
        }
    }

    private static int Depth(string id) => id.Count(c => c == '/');

    private static string CollectionOf(string id) => id[..id.LastIndexOf('/')];

    // A collection has at least two segments (/subscriptions/{s}/resourceGroups, …/providers/{ns}/{type}); a
    // subscription or a provider namespace is not a list of declared things.
    private static bool IsListable(string id)
    {
        var trimmed = id.TrimEnd('/');
        var last = trimmed.LastIndexOf('/');
        return last > 0 && trimmed.IndexOf('/', 1) < last && !trimmed[..last].EndsWith("/providers", StringComparison.OrdinalIgnoreCase);
    }
}
