using System.Text.Json.Nodes;
using GitOps.Core.Manifests;

namespace GitOps.Core.Inventory;

/// <summary>
/// The stored forms of an inventory. Part of the environment state contract, read back by every later run.
/// <list type="bullet">
/// <item>Version 1 (<see cref="ToJson"/>, states written before issue 19 and the CLI's local state): a JSON array of
/// <c>{ id, type, apiVersion, digest, dependsOn, onDelete, shape? }</c>, about 630 bytes per resource.</item>
/// <item>Version 2 (<see cref="ToCompactJson"/>, environment states): <c>{ "format": 2, "types": [ "type@apiVersion" ],
/// "shapes": [ "sha256:…" ], "entries": [ [ prefix, "suffix", type, "digest", shape, [ dependsOn ], "detach" ] ] }</c>,
/// about 65 bytes per resource. Each id is written as the length of the prefix it shares with the previous entry's id
/// and the rest (entries are sorted by id, so neighbours share their scope); types with api-versions and shape digests
/// are indexes into tables (an environment has few of each; shape -1: none); a <c>sha256:</c> digest is its 32 bytes in
/// unpadded base64url, another digest is <c>~</c> and the text, an empty one (a failed write) stays empty;
/// <c>dependsOn</c> holds the index of an entry of this inventory whose id it names exactly, else the id; trailing
/// defaults (no dependencies, <c>onDelete: delete</c>) are left out.</item>
/// </list>
/// <see cref="FromJson(JsonNode?)"/> reads both, so states written by earlier versions keep working.
/// </summary>
public static class InventoryJson
{
    /// <summary>The version written by <see cref="ToCompactJson"/>.</summary>
    public const int CompactFormat = 2;

    private const string Sha256Prefix = "sha256:";

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

    /// <summary>Writes an inventory in the compact form (version 2), as one line of JSON text.</summary>
    public static string ToCompactJson(ResourceInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var entries = inventory.Entries;
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            index.TryAdd(entries[i].Id, i);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, entries.Count * 72));
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", CompactFormat);
            foreach (var entry in entries)
            {
                types.TryAdd($"{entry.Type}@{entry.ApiVersion}", types.Count);
                if (entry.Shape is { } shape)
                {
                    shapes.TryAdd(shape, shapes.Count);
                }
            }

            writer.WriteStartArray("types");
            foreach (var type in types.Keys)
            {
                writer.WriteStringValue(type);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("shapes");
            foreach (var shape in shapes.Keys)
            {
                writer.WriteStringValue(shape);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("entries");
            var previous = string.Empty;
            foreach (var entry in entries)
            {
                var prefix = SharedPrefix(previous, entry.Id);
                writer.WriteStartArray();
                writer.WriteNumberValue(prefix);
                writer.WriteStringValue(entry.Id.AsSpan(prefix));
                writer.WriteNumberValue(types[$"{entry.Type}@{entry.ApiVersion}"]);
                writer.WriteStringValue(EncodeDigest(entry.Digest));
                writer.WriteNumberValue(entry.Shape is { } shape ? shapes[shape] : -1);
                if (entry.DependsOn.Count > 0 || entry.OnDelete == DeleteBehavior.Detach)
                {
                    writer.WriteStartArray();
                    foreach (var dependency in entry.DependsOn)
                    {
                        if (index.TryGetValue(dependency, out var at))
                        {
                            writer.WriteNumberValue(at);
                        }
                        else
                        {
                            writer.WriteStringValue(dependency);
                        }
                    }

                    writer.WriteEndArray();
                    if (entry.OnDelete == DeleteBehavior.Detach)
                    {
                        writer.WriteStringValue("detach");
                    }
                }

                writer.WriteEndArray();
                previous = entry.Id;
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads an inventory in either stored form: a version 1 array (<see cref="ToJson"/>) or a version 2 object (<see cref="ToCompactJson"/>).</summary>
    /// <exception cref="FormatException">Not an inventory, or an entry lacks a required field.</exception>
    public static ResourceInventory FromJson(JsonNode? node) => node switch
    {
        null => ResourceInventory.Empty,
        JsonArray array => FromJson(array),
        JsonObject compact => FromCompact(compact),
        _ => throw new FormatException("An inventory must be a JSON array (version 1) or object (version 2)."),
    };

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

    private static ResourceInventory FromCompact(JsonObject compact)
    {
        if (compact["format"] is not JsonValue format || !format.TryGetValue<int>(out var version) || version != CompactFormat)
        {
            throw new FormatException($"Inventory format {compact["format"]?.ToJsonString() ?? "(none)"} is not known; this version reads 1 and {CompactFormat}.");
        }

        var types = Strings(compact["types"], "types");
        var shapes = Strings(compact["shapes"], "shapes");
        if (compact["entries"] is not JsonArray rows)
        {
            throw new FormatException("Inventory lacks 'entries'.");
        }

        var ids = new string[rows.Count];
        var previous = string.Empty;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] as JsonArray ?? throw new FormatException($"Inventory entry {i} is not an array.");
            var prefix = Int(row, 0, i);
            var suffix = Text(row, 1, i);
            if (prefix < 0 || prefix > previous.Length)
            {
                throw new FormatException($"Inventory entry {i} shares {prefix} characters with an id of {previous.Length}.");
            }

            ids[i] = string.Concat(previous.AsSpan(0, prefix), suffix);
            previous = ids[i];
        }

        var entries = new List<InventoryEntry>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = (JsonArray)rows[i]!;
            var type = Int(row, 2, i);
            if (type < 0 || type >= types.Count || types[type].LastIndexOf('@') is var at && at <= 0)
            {
                throw new FormatException($"Inventory entry {i} names type {type}, which is not in the table.");
            }

            var shape = Int(row, 4, i);
            if (shape < -1 || shape >= shapes.Count)
            {
                throw new FormatException($"Inventory entry {i} names shape {shape}, which is not in the table.");
            }

            var dependsOn = new List<string>();
            if (row.Count > 5)
            {
                foreach (var dependency in row[5] as JsonArray ?? throw new FormatException($"Inventory entry {i}: dependsOn must be an array."))
                {
                    dependsOn.Add(dependency is JsonValue v && v.TryGetValue<int>(out var n)
                        ? n >= 0 && n < ids.Length ? ids[n] : throw new FormatException($"Inventory entry {i} depends on entry {n}, which does not exist.")
                        : dependency?.GetValue<string>() ?? throw new FormatException($"Inventory entry {i} has an empty dependency."));
                }
            }

            var detach = row.Count > 6 && string.Equals(Text(row, 6, i), "detach", StringComparison.OrdinalIgnoreCase);
            entries.Add(new InventoryEntry(
                ids[i],
                types[type][..at],
                types[type][(at + 1)..],
                DecodeDigest(Text(row, 3, i)),
                dependsOn,
                detach ? DeleteBehavior.Detach : DeleteBehavior.Delete,
                shape < 0 ? null : shapes[shape]));
        }

        return new ResourceInventory(entries);
    }

    private static int SharedPrefix(string previous, string id)
    {
        var max = Math.Min(previous.Length, id.Length);
        var n = 0;
        while (n < max && previous[n] == id[n])
        {
            n++;
        }

        // Never split a surrogate pair: the suffix must be valid text on its own.
        return n > 0 && char.IsHighSurrogate(id[n - 1]) ? n - 1 : n;
    }

    // "sha256:<64 lowercase hex>" as 43 characters of base64url; anything else is kept as text behind "~".
    private static string EncodeDigest(string digest)
    {
        if (digest.Length == 0)
        {
            return digest;
        }

        if (digest.Length == Sha256Prefix.Length + 64 && digest.StartsWith(Sha256Prefix, StringComparison.Ordinal)
            && digest.AsSpan(Sha256Prefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0)
        {
            return Convert.ToBase64String(Convert.FromHexString(digest.AsSpan(Sha256Prefix.Length)))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        return "~" + digest;
    }

    private static string DecodeDigest(string stored)
    {
        if (stored.Length == 0)
        {
            return stored;
        }

        if (stored[0] == '~')
        {
            return stored[1..];
        }

        try
        {
            var base64 = stored.Replace('-', '+').Replace('_', '/') + "=";
            var bytes = Convert.FromBase64String(base64);
            return bytes.Length == 32 ? Sha256Prefix + Convert.ToHexStringLower(bytes) : throw new FormatException($"Digest '{stored}' is not 32 bytes.");
        }
        catch (FormatException error)
        {
            throw new FormatException($"Digest '{stored}' is neither base64url of a SHA-256 nor '~' and text: {error.Message}", error);
        }
    }

    private static List<string> Strings(JsonNode? node, string name) =>
        node is JsonArray array
            ? array.Select(n => n?.GetValue<string>() ?? throw new FormatException($"Inventory '{name}' holds a null.")).ToList()
            : throw new FormatException($"Inventory lacks '{name}'.");

    private static int Int(JsonArray row, int position, int entry) =>
        row.Count > position && row[position] is JsonValue value && value.TryGetValue<int>(out var number)
            ? number
            : throw new FormatException($"Inventory entry {entry} lacks a number at position {position}.");

    private static string Text(JsonArray row, int position, int entry) =>
        row.Count > position && row[position] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new FormatException($"Inventory entry {entry} lacks a string at position {position}.");

    private static string Required(JsonObject item, string name) =>
        item[name]?.GetValue<string>() ?? throw new FormatException($"Inventory entry lacks '{name}'.");
}
