using GitOps.Core.Schemas;

namespace GitOps.Core.Ports;

/// <summary>A catalogue of hand-built entries: for tests, and for tools that bring their own types.</summary>
public sealed class InMemoryTypeCatalog : IResourceTypeCatalog
{
    private readonly Dictionary<string, ResourceTypeSchema> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a catalogue holding <paramref name="entries"/>.</summary>
    public InMemoryTypeCatalog(IEnumerable<ResourceTypeSchema> entries, string source = "in-memory catalogue")
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            _entries[entry.Key] = entry;
        }

        Source = source;
        Types = _entries.Values.Select(e => e.Type).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <inheritdoc/>
    public string Source { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Types { get; }

    /// <inheritdoc/>
    public ResourceTypeSchema? Find(string type, string apiVersion) =>
        _entries.TryGetValue($"{type}@{apiVersion}", out var entry) ? entry : null;

    /// <inheritdoc/>
    public IReadOnlyList<string> ApiVersions(string type) =>
        _entries.Values.Where(e => string.Equals(e.Type, type, StringComparison.OrdinalIgnoreCase)).Select(e => e.ApiVersion).ToList();
}
