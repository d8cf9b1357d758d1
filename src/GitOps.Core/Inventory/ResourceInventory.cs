namespace GitOps.Core.Inventory;

/// <summary>
/// What an environment manages: the entries of its last applies, keyed by id (case-insensitive).
/// </summary>
public sealed record ResourceInventory
{
    private readonly Dictionary<string, InventoryEntry> _byId;

    /// <summary>Creates an inventory; a later entry for the same id wins.</summary>
    public ResourceInventory(IEnumerable<InventoryEntry> entries)
    {
        _byId = new Dictionary<string, InventoryEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            _byId[entry.Id] = entry;
        }

        Entries = _byId.Values.OrderBy(e => e.Id, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>An empty inventory (first run).</summary>
    public static ResourceInventory Empty { get; } = new([]);

    /// <summary>The entries, sorted by id.</summary>
    public IReadOnlyList<InventoryEntry> Entries { get; }

    /// <summary>Finds an entry by id.</summary>
    public InventoryEntry? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>True when the id is managed.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);
}
