using Azure.Bicep.Types;
using Azure.Bicep.Types.Index;

namespace GitOps.Schemas;

/// <summary>The package's index, keyed ignoring case (ARM types are case-insensitive), with the versions of each type.</summary>
internal sealed class CatalogueIndex
{
    private CatalogueIndex(Dictionary<string, CrossFileTypeReference> resources, Dictionary<string, IReadOnlyList<string>> versions)
    {
        Resources = resources;
        Versions = versions;
        Types = versions.Keys.ToList();
    }

    /// <summary><c>type@api-version</c> → where its type is.</summary>
    public IReadOnlyDictionary<string, CrossFileTypeReference> Resources { get; }

    /// <summary>Type → its api-versions.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Versions { get; }

    /// <summary>Every type.</summary>
    public IReadOnlyCollection<string> Types { get; }

    /// <summary>Builds the lookups from the package's index.</summary>
    public static CatalogueIndex Read(TypeIndex index)
    {
        var resources = new Dictionary<string, CrossFileTypeReference>(index.Resources.Count, StringComparer.OrdinalIgnoreCase);
        var versions = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, reference) in index.Resources)
        {
            resources[key] = reference;
            var at = key.LastIndexOf('@');
            if (at <= 0)
            {
                continue;
            }

            var type = key[..at];
            if (!versions.TryGetValue(type, out var list))
            {
                versions[type] = list = [];
            }

            list.Add(key[(at + 1)..]);
        }

        return new CatalogueIndex(resources, versions.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.OrdinalIgnoreCase));
    }
}
