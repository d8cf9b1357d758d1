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
}
