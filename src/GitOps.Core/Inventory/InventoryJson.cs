using System.Text.Json.Nodes;
using GitOps.Core.Manifests;

namespace GitOps.Core.Inventory;

/// <summary>
/// The stored form of an inventory: a JSON array of <c>{ id, type, apiVersion, digest, dependsOn, onDelete, shape? }</c>.
/// Part of the environment state contract, read back by every later run, so fields are only ever added.
/// </summary>
public static class InventoryJson
{
    /// <summary>Writes an inventory.</summary>
    public static JsonArray ToJson(ResourceInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var array = new JsonArray();
        foreach (var entry in inventory.Entries)
        {
            var item = new JsonObject
            {
                ["id"] = entry.Id,
                ["type"] = entry.Type,
                ["apiVersion"] = entry.ApiVersion,
                ["digest"] = entry.Digest,
                ["dependsOn"] = new JsonArray(entry.DependsOn.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["onDelete"] = entry.OnDelete == DeleteBehavior.Detach ? "detach" : "delete",
            };
            if (entry.Shape is not null)
            {
                item["shape"] = entry.Shape;
            }

            array.Add(item);
        }

        return array;
    }

    /// <summary>Reads an inventory written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">An entry lacks a required field.</exception>
    public static ResourceInventory FromJson(JsonArray? array)
    {
        if (array is null)
        {
            return ResourceInventory.Empty;
        }

        var entries = new List<InventoryEntry>(array.Count);
        foreach (var node in array)
        {
            if (node is not JsonObject item)
            {
                throw new FormatException("Inventory entries must be JSON objects.");
            }

            entries.Add(new InventoryEntry(
                Required(item, "id"),
                Required(item, "type"),
                Required(item, "apiVersion"),
                item["digest"]?.GetValue<string>() ?? string.Empty,
                item["dependsOn"] is JsonArray deps ? deps.Select(d => d!.GetValue<string>()).ToList() : [],
                string.Equals(item["onDelete"]?.GetValue<string>(), "detach", StringComparison.OrdinalIgnoreCase)
                    ? DeleteBehavior.Detach
                    : DeleteBehavior.Delete,
                item["shape"]?.GetValue<string>()));
        }

        return new ResourceInventory(entries);
    }

    private static string Required(JsonObject item, string name) =>
        item[name]?.GetValue<string>() ?? throw new FormatException($"Inventory entry lacks '{name}'.");
}
