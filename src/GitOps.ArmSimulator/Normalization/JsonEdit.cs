using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Normalization;

/// <summary>Small helpers for adding server-side values to a body without overwriting what the caller sent.</summary>
internal static class JsonEdit
{
    /// <summary>The object at <paramref name="name"/>, created when missing or not an object.</summary>
    public static JsonObject Object(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    /// <summary>Sets <paramref name="name"/> only when the caller did not.</summary>
    public static void Default(JsonObject parent, string name, JsonNode? value)
    {
        if (!parent.ContainsKey(name))
        {
            parent[name] = value;
        }
    }

    public static string? String(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The objects of the array at <paramref name="name"/> (skipping non-objects), or nothing.</summary>
    public static IEnumerable<JsonObject> Objects(JsonObject? parent, string name) =>
        parent?[name] is JsonArray array ? array.OfType<JsonObject>() : [];

    public static string NewETag() => $"W/\"{Guid.NewGuid()}\"";
}
