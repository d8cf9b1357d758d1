using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>
/// Reads the live state of declared resources from ARM. Resources the inventory does not know (a first apply, an
/// adoption) are first looked for with list calls (<see cref="ExistenceProbe"/>); every other resource gets exactly one
/// GET, with bounded concurrency, so a resource we manage is always read whole.
/// </summary>
/// <param name="client">The ARM client (throttle-aware; it paces itself before ARM throttles).</param>
/// <param name="options">Concurrency and whether lists are used.</param>
public sealed class LiveStateObserver(IArmResourceClient client, ApplyOptions? options = null)
{
    private readonly ApplyOptions _options = options ?? ApplyOptions.Default;

    /// <summary>
    /// Reads every declared resource (except <c>policy: detach</c>, which is never looked at) with its declared
    /// api-version; those lists show absent are not read.
    /// </summary>
    /// <param name="resources">The declared resources.</param>
    /// <param name="known">What the environment applied before; its resources are read without looking for them
    /// first. Null when nothing is known (a plan without state), so every resource may be looked for.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>Live bodies by id (case-insensitive); absent resources are not in the map.</returns>
    /// <exception cref="ObservationException">One or more GETs failed; the message lists them.</exception>
    public async Task<IReadOnlyDictionary<string, JsonObject>> ObserveAsync(
        IReadOnlyList<DeclaredResource> resources,
        ResourceInventory? known = null,
        CancellationToken cancellationToken = default)
    {
        var absent = await FindAbsentAsync(resources, known, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(resources, absent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The declared resources outside <paramref name="known"/> that lists show do not exist.</summary>
    internal async Task<IReadOnlySet<string>> FindAbsentAsync(IReadOnlyList<DeclaredResource> resources, ResourceInventory? known, CancellationToken cancellationToken)
    {
        if (!_options.ListExistence)
        {
            return new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        var unknown = known is null ? resources : resources.Where(r => !known.Contains(r.Id)).ToList();
        return await new ExistenceProbe(client, _options).FindAbsentAsync(unknown, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GETs the declared resources that are neither detached nor in <paramref name="absent"/>.</summary>
    internal async Task<IReadOnlyDictionary<string, JsonObject>> ReadAsync(
        IReadOnlyList<DeclaredResource> resources,
        IReadOnlySet<string> absent,
        CancellationToken cancellationToken)
    {
        var live = new ConcurrentDictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        var failures = new ConcurrentBag<(string Id, ArmRequestException Error)>();
        var targets = resources.Where(r => r.Reconcile.Policy != ResourcePolicy.Detach && !absent.Contains(r.Id.TrimEnd('/'))).ToList();

        await Parallel.ForEachAsync(
            targets,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelReads, CancellationToken = cancellationToken },
            async (resource, ct) =>
            {
                try
                {
                    var found = await client.GetAsync(resource.Id, resource.ApiVersion, ct).ConfigureAwait(false);
                    if (found is not null)
                    {
                        live[resource.Id] = found.Body;
                    }
                }
                catch (ArmRequestException error)
                {
                    failures.Add((resource.Id, error));
                }
            }).ConfigureAwait(false);

        if (!failures.IsEmpty)
        {
            throw new ObservationException(failures.OrderBy(f => f.Id, StringComparer.OrdinalIgnoreCase).ToList());
        }

        return new Dictionary<string, JsonObject>(live, StringComparer.OrdinalIgnoreCase);
    }
}
