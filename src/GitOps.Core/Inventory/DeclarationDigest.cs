using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Manifests;

namespace GitOps.Core.Inventory;

/// <summary>
/// A stable fingerprint of a declaration (api-version + body with keys sorted), so that the inventory notices a
/// change in git even to fields ARM never returns, without keeping the values (which may be secret references).
/// </summary>
/// <remarks>
/// Computed for every declared resource on every plan, so it writes into a reused per-thread buffer and sorts keys
/// in pooled arrays: planning 10,000 resources must not allocate a canonical JSON copy of each.
/// </remarks>
public static class DeclarationDigest
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Computes <c>sha256:&lt;hex&gt;</c> of the canonical declaration.</summary>
    public static string Compute(DeclaredResource resource) => Hash(resource, shapeOnly: false);

    /// <summary>
    /// The fingerprint of the declaration's shape: api-version and the declared paths, without values (arrays count
    /// as one path). Equal shapes mean only values changed, so a live body showing every new value already holds the
    /// change; a different shape may remove a field, which only a PUT removes.
    /// </summary>
    public static string ComputeShape(DeclaredResource resource) => Hash(resource, shapeOnly: true);

    private static string Hash(DeclaredResource resource, bool shapeOnly)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);

        writer.WriteStartObject();
        writer.WriteString("apiVersion", resource.ApiVersion);
        writer.WritePropertyName(shapeOnly ? "shape" : "body");
        WriteCanonical(writer, resource.Body, shapeOnly);
        writer.WriteEndObject();
        writer.Flush();

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return string.Create(7 + (hash.Length * 2), hash.ToArray(), static (span, bytes) =>
        {
            "sha256:".CopyTo(span);
            Convert.TryToHexStringLower(bytes, span[7..], out _);
        });
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node, bool shapeOnly = false)
    {
        switch (node)
        {
            case null:
            case JsonArray when shapeOnly:
            case JsonValue when shapeOnly:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                var count = obj.Count;
                var pairs = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(count);
                try
                {
                    var i = 0;
                    foreach (var pair in obj)
                    {
                        pairs[i++] = pair;
                    }

                    Array.Sort(pairs, 0, count, KeyComparer.Instance);
                    for (i = 0; i < count; i++)
                    {
                        writer.WritePropertyName(pairs[i].Key);
                        WriteCanonical(writer, pairs[i].Value, shapeOnly);
                    }
                }
                finally
                {
                    ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(pairs, clearArray: true);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Exposed for tests: the canonical UTF-8 text of a node.</summary>
    internal static string Canonical(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed class KeyComparer : IComparer<KeyValuePair<string, JsonNode?>>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(KeyValuePair<string, JsonNode?> x, KeyValuePair<string, JsonNode?> y) =>
            string.CompareOrdinal(x.Key, y.Key);
    }
}
