using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Core.Manifests.Validation;

/// <summary>
/// Checks the shape of the ARM top-level fields of a body (after expansion), with the location of each field:
/// tags, location, the object- and text-valued fields, zones, and read-only fields that should not be declared.
/// </summary>
internal static class BodyValidator
{
    /// <summary>ARM's tag limits (learn.microsoft.com, azure-resource-manager/management/tag-resources#limitations).</summary>
    public const int MaxTags = 50;

    /// <summary>Longest tag name.</summary>
    public const int MaxTagNameLength = 512;

    /// <summary>Longest tag value.</summary>
    public const int MaxTagValueLength = 256;

    private static readonly string[] ObjectFields = ["sku", "identity", "plan", "extendedLocation", "properties"];
    private static readonly string[] TextFields = ["location", "kind", "managedBy"];

    /// <summary>
    /// Fields ARM computes; declaring them has no effect, so it is probably a pasted GET response. Kept for resources
    /// the catalogue does not check (no catalogue, an unknown type, <c>schema: off</c>); otherwise its flags decide.
    /// </summary>
    private static readonly string[] ReadOnlyProperties = ["provisioningState", "resourceGuid", "creationTime", "createdTime", "primaryEndpoints"];

    /// <summary>Reports every shape problem of <paramref name="body"/>.</summary>
    /// <param name="body">The expanded body.</param>
    /// <param name="locations">Where each pointer is written.</param>
    /// <param name="fallback">The document's location.</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <param name="checkReadOnlyNames">
    /// Warn about the hand-written read-only names; false when the catalogue knows the type, because its own read-only
    /// flags then report them (once).
    /// </param>
    public static void Validate(JsonObject body, IReadOnlyDictionary<string, SourceLocation> locations, SourceLocation fallback, List<Diagnostic> diagnostics, bool checkReadOnlyNames = true)
    {
        SourceLocation At(string pointer) => locations.TryGetValue(pointer, out var location) ? location : fallback;

        foreach (var field in TextFields)
        {
            if (body.TryGetPropertyValue(field, out var value) && !IsNonEmptyText(value))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, At("/" + field),
                    $"'{field}' must be text, not {Describe(value)}.", $"Write it as {field}: <text>, e.g. location: westeurope."));
            }
        }

        foreach (var field in ObjectFields)
        {
            if (body.TryGetPropertyValue(field, out var value) && value is not JsonObject)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, At("/" + field),
                    $"'{field}' must be a map, not {Describe(value)}.", $"Write it as {field}: {{ ... }} (as in the ARM REST API)."));
            }
        }

        if (body.TryGetPropertyValue("zones", out var zones) && zones is not JsonArray)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, At("/zones"),
                $"'zones' must be a list, not {Describe(zones)}.", "Write it as zones: [\"1\", \"2\", \"3\"]."));
        }

        if (body.TryGetPropertyValue("tags", out var tags))
        {
            ValidateTags(tags, At, diagnostics);
        }

        if (checkReadOnlyNames && body["properties"] is JsonObject properties)
        {
            foreach (var name in ReadOnlyProperties)
            {
                if (properties.ContainsKey(name))
                {
                    diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.InvalidValue, At("/properties/" + name),
                        $"'properties.{name}' is read-only: ARM sets it and ignores what is sent.",
                        "Remove it; it is not compared for drift either."));
                }
            }
        }
    }

    private static void ValidateTags(JsonNode? tags, Func<string, SourceLocation> at, List<Diagnostic> diagnostics)
    {
        if (tags is not JsonObject map)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, at("/tags"),
                $"'tags' must be a map of text values, not {Describe(tags)}.", "Write it as tags: { owner: platform, env: prod }."));
            return;
        }

        if (map.Count > MaxTags)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, at("/tags"),
                $"'tags' has {map.Count} tags; ARM allows at most {MaxTags} per resource.", "Remove tags, or combine some into one value."));
        }

        foreach (var (name, value) in map)
        {
            var pointer = "/tags/" + Pointers.JsonPointer.Escape(name);
            if (name.Length > MaxTagNameLength || name.Length == 0)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, at(pointer),
                    $"Tag name '{Shorten(name)}' is {name.Length} characters long; ARM allows 1 to {MaxTagNameLength}.", "Shorten the tag name."));
            }
            else if (name.IndexOfAny(['<', '>', '%', '&', '\\', '?', '/']) >= 0 || name.Any(char.IsControl))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, at(pointer),
                    $"Tag name '{name}' contains a character ARM does not allow in tag names (< > % & \\ ? /).", "Rename the tag."));
            }

            if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, at(pointer),
                    $"Tag '{name}' must have a text value, not {Describe(value)}.", $"Write it as {name}: \"value\"."));
            }
            else if (text.GetValue<string>().Length > MaxTagValueLength)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, at(pointer),
                    $"The value of tag '{name}' is {text.GetValue<string>().Length} characters long; ARM allows at most {MaxTagValueLength}.",
                    "Shorten the value."));
            }
        }
    }

    private static bool IsNonEmptyText(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0;

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a map",
        JsonArray => "a list",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>().Length == 0 ? "empty text" : "text",
            JsonValueKind.Number => $"the number {value.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {value.ToJsonString()}",
            _ => value.ToJsonString(),
        },
        _ => "a value",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
