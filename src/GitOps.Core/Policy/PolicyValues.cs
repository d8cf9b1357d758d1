using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Core.Policy;

/// <summary>How policy checks read values from a resource body.</summary>
internal static class PolicyValues
{
    /// <summary>
    /// A scalar as text: strings as they are, numbers and booleans as JSON writes them (a tag written <c>costCenter: 4711</c>
    /// is the number 4711 in the body, and ARM stores it as the text "4711"). Null for a missing value, null, map or list.
    /// </summary>
    public static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
        : null;

    /// <summary>A value for messages: JSON text, shortened.</summary>
    public static string Display(JsonNode? node)
    {
        var text = node is null ? "null" : node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
        return text.Length <= 80 ? text : text[..77] + "...";
    }

    /// <summary>Resolves an RFC 6901 pointer in <paramref name="root"/>; false when a segment is missing.</summary>
    public static bool TryResolve(JsonNode root, string pointer, out JsonNode? value)
    {
        value = root;
        if (pointer.Length == 0)
        {
            return true;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var segment = Planning.JsonPointer.Unescape(raw);
            switch (value)
            {
                case JsonObject map when map.TryGetPropertyValue(segment, out var child):
                    value = child;
                    break;
                case JsonArray list when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                    && index < list.Count && (segment == "0" || segment[0] != '0'):
                    value = list[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }
}
