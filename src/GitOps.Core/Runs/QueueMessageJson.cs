using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Core.Runs;

/// <summary>
/// Reads a job message of one kind from the shared job queue: JSON, or Base64 of it (hosts and tools encode
/// differently), whose <c>kind</c> names it.
/// </summary>
internal static class QueueMessageJson
{
    /// <summary>The message as a JSON object when it is one of <paramref name="kind"/>; null for any other message.</summary>
    public static JsonObject? ReadKind(string text, string kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('{'))
        {
            try
            {
                trimmed = Encoding.UTF8.GetString(Convert.FromBase64String(trimmed));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(trimmed) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        return json?["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String && k.GetValue<string>() == kind ? json : null;
    }
}
