using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>
/// The steps every caller that plans and applies declarations with <c>keyvault('…')</c> takes (the reconciler and the
/// CLI): read each secret once, pin its version id into the declarations (so the digest changes on rotation, never by
/// value), hide the fields in live state, and serve the read values to the <see cref="Applier"/>.
/// </summary>
public static class SecretPins
{
    /// <summary>Reads every secret the resources refer to, once per URL; an empty map when there are none.</summary>
    /// <exception cref="SecretResolutionException">A secret could not be read, or there is no <paramref name="resolver"/>.</exception>
    public static async Task<IReadOnlyDictionary<string, ResolvedSecret>> ResolveAsync(
        IReadOnlyList<DeclaredResource> resources, ISecretResolver? resolver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var resolved = new Dictionary<string, ResolvedSecret>(StringComparer.Ordinal);
        foreach (var url in resources.SelectMany(r => r.SecretReferences).Select(r => r.Url).Distinct(StringComparer.Ordinal))
        {
            if (resolver is null)
            {
                throw new SecretResolutionException(url, $"The manifests refer to the secret {url}, but this host has no Key Vault resolver configured.", isTransient: false);
            }

            resolved[url] = await resolver.ResolveAsync(url, cancellationToken).ConfigureAwait(false);
        }

        return resolved;
    }

    /// <summary>The resources with each placeholder carrying its secret's version id (copies; the others as they are).</summary>
    public static IReadOnlyList<DeclaredResource> Pin(IReadOnlyList<DeclaredResource> resources, IReadOnlyDictionary<string, ResolvedSecret> resolved)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(resolved);
        return resources.Select(resource =>
        {
            if (resource.SecretReferences.Count == 0)
            {
                return resource;
            }

            var body = resource.Body.DeepClone().AsObject();
            foreach (var reference in resource.SecretReferences)
            {
                SecretFields.TrySet(body, reference.Pointer, SecretReference.PlaceholderFor(reference.Url, resolved[reference.Url].VersionId));
            }

            return resource with { Body = body };
        }).ToList();
    }

    /// <summary>
    /// Live state with every field fed from a secret replaced by the declared placeholder: such a field is compared by
    /// its source's version (the digest), so a value ARM does return is neither shown in a plan nor reported as drift.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonObject> HideLive(IReadOnlyDictionary<string, JsonObject> live, IReadOnlyList<DeclaredResource> resources)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(resources);
        if (!resources.Any(r => r.SecretReferences.Count > 0))
        {
            return live;
        }

        var hidden = new Dictionary<string, JsonObject>(live, StringComparer.OrdinalIgnoreCase);
        foreach (var resource in resources.Where(r => r.SecretReferences.Count > 0))
        {
            if (!hidden.TryGetValue(resource.Id, out var body))
            {
                continue;
            }

            var copy = body.DeepClone().AsObject();
            foreach (var reference in resource.SecretReferences)
            {
                if (SecretFields.TryGet(resource.Body, reference.Pointer) is { } placeholder)
                {
                    SecretFields.TrySet(copy, reference.Pointer, placeholder);
                }
            }

            hidden[resource.Id] = copy;
        }

        return hidden;
    }

    /// <summary>A resolver that serves only what was read, so the value sent is the version the plan was made with.</summary>
    public static ISecretResolver Serve(IReadOnlyDictionary<string, ResolvedSecret> resolved) => new ReadSecrets(resolved);

    private sealed class ReadSecrets(IReadOnlyDictionary<string, ResolvedSecret> resolved) : ISecretResolver
    {
        public Task<ResolvedSecret> ResolveAsync(string secretUrl, CancellationToken cancellationToken = default) =>
            resolved.TryGetValue(secretUrl, out var secret)
                ? Task.FromResult(secret)
                : throw new SecretResolutionException(secretUrl, $"The secret {secretUrl} was not read before planning.", isTransient: true);
    }
}
