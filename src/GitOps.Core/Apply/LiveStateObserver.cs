using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>
/// Reads the live state of declared resources from ARM: exactly one GET per resource, with bounded concurrency.
/// </summary>
/// <param name="client">The ARM client (throttle-aware; it paces itself before ARM throttles).</param>
/// <param name="options">Concurrency.</param>
public sealed class LiveStateObserver(IArmResourceClient client, ApplyOptions? options = null)
{
    private readonly ApplyOptions _options = options ?? ApplyOptions.Default;

    /// <summary>
    /// GETs every declared resource (except <c>policy: detach</c>, which is never looked at) with its declared api-version.
    /// </summary>
    /// <returns>Live bodies by id (case-insensitive); absent resources are not in the map.</returns>
    /// <exception cref="ObservationException">One or more GETs failed; the message lists them.</exception>
    public async Task<IReadOnlyDictionary<string, JsonObject>> ObserveAsync(
        IReadOnlyList<DeclaredResource> resources,
        CancellationToken cancellationToken = default)
    {
        var live = new ConcurrentDictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        var failures = new ConcurrentBag<(string Id, ArmRequestException Error)>();
        var targets = resources.Where(r => r.Reconcile.Policy != ResourcePolicy.Detach).ToList();

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
