using GitOps.ArmSimulator.AsyncOperations;

namespace GitOps.ArmSimulator.Resources;

/// <summary>
/// Every resource, resource group and running operation. One lock (<see cref="Gate"/>) guards all of it, because
/// requests check and change several entries at once (a parent and its child, a group and its contents).
/// Callers hold <see cref="Gate"/> around every method.
/// </summary>
internal sealed class ResourceStore
{
    private const int MaxOperations = 10_000;
    private readonly Dictionary<string, StoredResource> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AsyncOperation> _operations = new(StringComparer.OrdinalIgnoreCase);

    public object Gate { get; } = new();

    public StoredResource? Find(string id) => _resources.GetValueOrDefault(id.ToLowerInvariant());

    /// <summary>A resource that GETs may see (not one still being created behind a 202).</summary>
    public StoredResource? FindVisible(string id) => Find(id) is { Visible: true } found ? found : null;

    public void Put(StoredResource resource) => _resources[resource.Key] = resource;

    /// <summary>Removes a resource with its child and extension resources, which ARM deletes with it.</summary>
    public bool Remove(string id)
    {
        var key = id.ToLowerInvariant();
        var prefix = key + "/";
        var removed = _resources.Remove(key);
        foreach (var nested in _resources.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _resources.Remove(nested);
        }

        return removed;
    }

    public IEnumerable<StoredResource> All => _resources.Values;

    public void AddOperation(AsyncOperation operation)
    {
        // Finished operations stay pollable for a while; drop them only when long demos would otherwise grow without bound.
        if (_operations.Count >= MaxOperations)
        {
            foreach (var finished in _operations.Values.Where(o => !o.IsRunning).Select(o => o.Id).ToList())
            {
                _operations.Remove(finished);
            }
        }

        _operations[operation.Id] = operation;
    }

    public AsyncOperation? FindOperation(string id) => _operations.GetValueOrDefault(id);

    public void Clear()
    {
        _resources.Clear();
        _operations.Clear();
    }
}
