using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// Reads ARM bodies: resources, operation status and <c>{"error":{"code","message"}}</c>. Only an error's code and
/// message ever reach an exception, with secret-shaped values masked: bodies can carry keys (Redis returns
/// <c>accessKeys</c> from PUT) and must never be echoed.
/// </summary>
internal static partial class ArmResponseReader
{
    private const int MaxMessageLength = 2048;

    /// <summary>Parses a body as a JSON object; null when the body is empty.</summary>
    /// <exception cref="JsonException">The body is not JSON or not an object.</exception>
    public static JsonObject? ReadObject(BinaryData content)
    {
        if (content.ToMemory().Length == 0)
        {
            return null;
        }

        JsonNode? node = JsonNode.Parse(content.ToMemory().Span);
        return node switch
        {
            null => null,
            JsonObject obj => obj,
            _ => throw new JsonException($"expected a JSON object, got {node.GetValueKind()}"),
        };
    }

    /// <summary>Like <see cref="ReadObject"/> but null instead of throwing: for error bodies, which may be anything.</summary>
    public static JsonObject? TryReadObject(BinaryData content)
    {
        try
        {
            return ReadObject(content);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The ids and <c>nextLink</c> of a list page (<c>{"value":[{"id":…},…],"nextLink":…}</c>); null when the body is
    /// not that shape. Only ids are kept: a page can hold a thousand bodies, and listing is for existence.
    /// </summary>
    public static ArmListPage? ReadListPage(BinaryData content)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(content.ToMemory());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var ids = new List<string>(value.GetArrayLength());
            foreach (JsonElement item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } text)
                {
                    return null;
                }

                ids.Add(text);
            }

            string? next = root.TryGetProperty("nextLink", out JsonElement link) && link.ValueKind == JsonValueKind.String && link.GetString() is { Length: > 0 } nextLink
                ? nextLink
                : null;
            return new ArmListPage(ids, next);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The error code and message of an ARM error body (<c>error.code</c>, or a bare <c>code</c>).</summary>
    public static (string? Code, string? Message) ReadError(JsonObject? body)
    {
        if (body is null)
        {
            return (null, null);
        }

        JsonObject? error = body["error"] as JsonObject ?? (body["properties"] as JsonObject)?["error"] as JsonObject ?? body;
        string? code = AsString(error["code"]);
        string? message = AsString(error["message"]);
        return (string.IsNullOrWhiteSpace(code) ? null : code.Trim(), message is null ? null : Sanitize(message));
    }

    /// <summary>The <c>properties.provisioningState</c> of a resource body.</summary>
    public static string? ReadProvisioningState(JsonObject? body) =>
        AsString((body?["properties"] as JsonObject)?["provisioningState"]);

    /// <summary>The <c>status</c> of an <c>Azure-AsyncOperation</c> status body.</summary>
    public static string? ReadOperationStatus(JsonObject? body) => AsString(body?["status"]);

    /// <summary>Masks secret-shaped values and bounds the length of a message taken from a response.</summary>
    public static string Sanitize(string message)
    {
        string masked = ConnectionStringSecret().Replace(message, m => m.Groups["key"].Value + "=***");
        masked = QuerySignature().Replace(masked, m => m.Groups["key"].Value + "=***");
        masked = BearerToken().Replace(masked, "Bearer ***");
        masked = JsonSecret().Replace(masked, m => m.Groups["prefix"].Value + "***\"");
        return masked.Length <= MaxMessageLength ? masked : masked[..MaxMessageLength] + "…";
    }

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    [GeneratedRegex(@"(?<key>AccountKey|SharedAccessKey|Password|Pwd|PrimaryKey|SecondaryKey|ClientSecret)\s*=\s*[^;""'\s]+", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringSecret();

    [GeneratedRegex(@"(?<key>sig|code|token|secret)=[^&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex QuerySignature();

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9\-_\.~\+/=]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(?<prefix>""(?:[A-Za-z]*(?:[Pp]assword|[Ss]ecret|[Kk]ey|[Tt]oken)s?)""\s*:\s*"")[^""]*""")]
    private static partial Regex JsonSecret();
}
