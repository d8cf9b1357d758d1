using GitOps.Core.Schemas;

namespace GitOps.Core.Ports;

/// <summary>
/// The resource type catalogue (every ARM <c>type@api-version</c> with its body type). The loader checks declared
/// bodies against it and hands each resource's entry to the planner on <see cref="Manifests.DeclaredResource.Schema"/>.
/// </summary>
/// <remarks>Implementations load each type at most once and are safe to call from several threads.</remarks>
public interface IResourceTypeCatalog
{
    /// <summary>The entry for <paramref name="type"/> at <paramref name="apiVersion"/> (both compared ignoring case), or null.</summary>
    ResourceTypeSchema? Find(string type, string apiVersion);

    /// <summary>The api-versions the catalogue knows for <paramref name="type"/> (ignoring case), in any order; empty for an unknown type.</summary>
    IReadOnlyList<string> ApiVersions(string type);

    /// <summary>Where the types come from, for messages (<c>Azure.Bicep.Types.Az 0.2.972</c>).</summary>
    string Source { get; }

    /// <summary>The resource types the catalogue knows, for suggestions when a type is misspelt.</summary>
    IReadOnlyCollection<string> Types { get; }
}
