using System.Collections.Concurrent;
using System.Reflection;
using Azure.Bicep.Types;
using Azure.Bicep.Types.Az;
using GitOps.Core.Ports;
using GitOps.Core.Schemas;

namespace GitOps.Schemas;

/// <summary>
/// The resource type catalogue from Bicep's Azure types (<c>Azure.Bicep.Types.Az</c>, MIT): every ARM
/// <c>type@api-version</c> the REST specs describe, with property types, enums and flags.
/// </summary>
/// <remarks>
/// <para>The index (about 37,000 entries) is read on first use, in about 0.4 s; each <c>type@api-version</c> is read
/// once, on first use (20–110 ms), and cached for the life of the catalogue. Use <see cref="Shared"/>: the types are
/// the same for every caller, and the package's 39 MB assembly is then read once per process.</para>
/// <para>Thread-safe: reads of the package are serialised (its loader is not documented as thread-safe), cached
/// entries are read without a lock, and the translation into Core's model is lazy and itself thread-safe.</para>
/// </remarks>
public sealed class BicepTypeCatalog : IResourceTypeCatalog
{
    private readonly ITypeLoader _loader;
    private readonly Lazy<CatalogueIndex> _index;
    private readonly ConcurrentDictionary<string, Lazy<ResourceTypeSchema>> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _readLock = new();
    private int _loads;

    /// <summary>Creates a catalogue over the package's embedded types.</summary>
    public BicepTypeCatalog()
        : this(new AzTypeLoader(), SourceOf(typeof(AzTypeLoader).Assembly))
    {
    }

    internal BicepTypeCatalog(ITypeLoader loader, string source)
    {
        _loader = loader;
        Source = source;
        _index = new Lazy<CatalogueIndex>(() => CatalogueIndex.Read(Locked(_loader.LoadTypeIndex)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>One catalogue for the process.</summary>
    public static BicepTypeCatalog Shared { get; } = new();

    /// <inheritdoc/>
    public string Source { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Types => _index.Value.Types;

    /// <summary>How many <c>type@api-version</c> entries were read from the package so far (each once).</summary>
    public int LoadCount => Volatile.Read(ref _loads);

    /// <inheritdoc/>
    public ResourceTypeSchema? Find(string type, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(apiVersion);
        var key = $"{type}@{apiVersion}";
        if (_loaded.TryGetValue(key, out var cached))
        {
            return cached.Value;
        }

        if (!_index.Value.Resources.TryGetValue(key, out var reference))
        {
            return null;
        }

        return _loaded.GetOrAdd(key, _ => new Lazy<ResourceTypeSchema>(
            () => Load(reference), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ApiVersions(string type) =>
        _index.Value.Versions.TryGetValue(type, out var versions) ? versions : [];

    private ResourceTypeSchema Load(CrossFileTypeReference reference)
    {
        var resource = Locked(() => _loader.LoadResourceType(reference));
        Interlocked.Increment(ref _loads);
        var at = resource.Name.LastIndexOf('@');
        var converter = new BicepTypeConverter();
        return new ResourceTypeSchema(
            at < 0 ? resource.Name : resource.Name[..at],
            at < 0 ? string.Empty : resource.Name[(at + 1)..],
            converter.Reference(resource.Body),
            BicepTypeConverter.Scopes(resource.WritableScopes));
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_readLock)
        {
            return read();
        }
    }

    private static string SourceOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"{assembly.GetName().Name} {(plus < 0 ? version : version[..plus])}";
    }
}
