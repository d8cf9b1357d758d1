using System.Text.Json;

namespace GitOps.Git.Webhooks;

/// <summary>Lenient lookups on untrusted JSON: a missing property or one of the wrong kind reads as null.</summary>
internal static class JsonElementExtensions
{
    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static JsonElement? Property(this JsonElement? element, string name) =>
        element is { } e ? e.Property(name) : null;

    public static string? String(this JsonElement? element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static string? String(this JsonElement element, string name) => ((JsonElement?)element).String(name);

    public static bool? Bool(this JsonElement element, string name) =>
        element.Property(name) is { } value && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public static long? Number(this JsonElement? element, string name) => element is { } e ? e.Number(name) : null;

    /// <summary>A whole-number property that fits in a long, or null.</summary>
    public static long? Number(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    public static JsonElement? Array(this JsonElement? element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Array } value ? value : null;

    public static JsonElement? Array(this JsonElement element, string name) => ((JsonElement?)element).Array(name);
}
