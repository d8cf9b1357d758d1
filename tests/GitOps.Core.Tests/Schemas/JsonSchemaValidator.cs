using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Core.Tests.Schemas;

/// <summary>
/// A validator for the subset of JSON Schema draft-07 that the schemas under <c>schemas/</c> use. No validator package
/// restores here (JsonSchema.Net needs JsonPointer.Net, which is missing; NJsonSchema 10 drags in Newtonsoft.Json 9.0.1,
/// which has a published advisory), so this one is small and strict: a keyword it does not know throws, so a schema can
/// never rely on a keyword the tests silently skip.
/// </summary>
internal sealed class JsonSchemaValidator
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "definitions", "default", "examples"];

    private static readonly HashSet<string> Keywords =
    [
        "$ref", "type", "properties", "required", "additionalProperties", "propertyNames", "minProperties", "maxProperties",
        "items", "minItems", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "anyOf", "oneOf", "not",
    ];

    private readonly JsonObject _root;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    public JsonSchemaValidator(JsonObject root)
    {
        _root = root;
        CheckKeywords(root, "#");
    }

    /// <summary>Loads a schema file.</summary>
    public static JsonSchemaValidator Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException(path + " is not a JSON object."));

    /// <summary>Every error, as "<c>/json/pointer: message</c>"; empty when the instance is valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Validate(_root, instance, "", errors);
        return errors;
    }

    private void Validate(JsonObject schema, JsonNode? instance, string at, List<string> errors)
    {
        if (schema["$ref"] is { } reference)
        {
            // Draft-07: keywords next to $ref are ignored, so only the target is applied.
            Validate(Resolve(reference.GetValue<string>()), instance, at, errors);
            return;
        }

        if (schema["type"] is { } type && !MatchesType(type, instance))
        {
            errors.Add($"{Where(at)}: expected {type.ToJsonString()}, got {Kind(instance)}.");
            return;
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, instance)))
        {
            errors.Add($"{Where(at)}: {Show(instance)} is not one of {values.ToJsonString()}.");
        }

        switch (instance)
        {
            case JsonObject map:
                ValidateObject(schema, map, at, errors);
                break;
            case JsonArray list:
                ValidateArray(schema, list, at, errors);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                ValidateString(schema, value.GetValue<string>(), at, errors);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(schema, Number(value), at, errors);
                break;
        }

        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(s => IsValid(s!.AsObject(), instance, at)))
        {
            errors.Add($"{Where(at)}: matches none of the {anyOf.Count} allowed forms.");
        }

        if (schema["oneOf"] is JsonArray oneOf)
        {
            var matches = oneOf.Count(s => IsValid(s!.AsObject(), instance, at));
            if (matches != 1)
            {
                errors.Add($"{Where(at)}: matches {matches} of the {oneOf.Count} forms; exactly one must match.");
            }
        }

        if (schema["not"] is JsonObject not && IsValid(not, instance, at))
        {
            errors.Add($"{Where(at)}: matches a form that is not allowed.");
        }
    }

    private void ValidateObject(JsonObject schema, JsonObject map, string at, List<string> errors)
    {
        foreach (var name in schema["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
        {
            if (!map.ContainsKey(name))
            {
                errors.Add($"{Where(at)}: '{name}' is required.");
            }
        }

        if (schema["minProperties"] is { } min && map.Count < min.GetValue<int>())
        {
            errors.Add($"{Where(at)}: has {map.Count} properties, at least {min} required.");
        }

        if (schema["maxProperties"] is { } max && map.Count > max.GetValue<int>())
        {
            errors.Add($"{Where(at)}: has {map.Count} properties, at most {max} allowed.");
        }

        var properties = schema["properties"] as JsonObject;
        foreach (var (name, value) in map)
        {
            var child = at + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            if (schema["propertyNames"] is JsonObject names)
            {
                Validate(names, JsonValue.Create(name), child, errors);
            }

            if (properties?[name] is JsonObject property)
            {
                Validate(property, value, child, errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Validate(additional, value, child, errors);
            }
            else if (schema["additionalProperties"] is JsonValue allowed && !allowed.GetValue<bool>())
            {
                errors.Add($"{Where(child)}: '{name}' is not allowed here.");
            }
        }
    }

    private void ValidateArray(JsonObject schema, JsonArray list, string at, List<string> errors)
    {
        if (schema["minItems"] is { } min && list.Count < min.GetValue<int>())
        {
            errors.Add($"{Where(at)}: has {list.Count} items, at least {min} required.");
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < list.Count; i++)
            {
                Validate(items, list[i], $"{at}/{i}", errors);
            }
        }
    }

    private void ValidateString(JsonObject schema, string text, string at, List<string> errors)
    {
        // JSON Schema counts code points, not UTF-16 units.
        var length = text.EnumerateRunes().Count();
        if (schema["minLength"] is { } min && length < min.GetValue<int>())
        {
            errors.Add($"{Where(at)}: {Show(text)} is shorter than {min}.");
        }

        if (schema["maxLength"] is { } max && length > max.GetValue<int>())
        {
            errors.Add($"{Where(at)}: {Show(text)} is longer than {max}.");
        }

        if (schema["pattern"] is { } pattern && !Pattern(pattern.GetValue<string>()).IsMatch(text))
        {
            errors.Add($"{Where(at)}: {Show(text)} does not match {pattern.GetValue<string>()}.");
        }
    }

    private static void ValidateNumber(JsonObject schema, double number, string at, List<string> errors)
    {
        if (schema["minimum"] is { } min && number < Number(min))
        {
            errors.Add($"{Where(at)}: {number.ToString(CultureInfo.InvariantCulture)} is less than {min}.");
        }

        if (schema["maximum"] is { } max && number > Number(max))
        {
            errors.Add($"{Where(at)}: {number.ToString(CultureInfo.InvariantCulture)} is more than {max}.");
        }
    }

    private bool IsValid(JsonObject schema, JsonNode? instance, string at)
    {
        var errors = new List<string>();
        Validate(schema, instance, at, errors);
        return errors.Count == 0;
    }

    private JsonObject Resolve(string reference)
    {
        const string Prefix = "#/definitions/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal) || _root["definitions"]?[reference[Prefix.Length..]] is not JsonObject target)
        {
            throw new NotSupportedException($"$ref '{reference}' does not name an entry of 'definitions' in the same schema.");
        }

        return target;
    }

    private Regex Pattern(string pattern)
    {
        if (!_patterns.TryGetValue(pattern, out var regex))
        {
            // ECMA-262 patterns are unanchored, like .NET's IsMatch; the schemas use only the common subset.
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            _patterns[pattern] = regex;
        }

        return regex;
    }

    private static bool MatchesType(JsonNode type, JsonNode? instance) => type switch
    {
        JsonArray types => types.Any(t => MatchesType(t!, instance)),
        _ => type.GetValue<string>() switch
        {
            "object" => instance is JsonObject,
            "array" => instance is JsonArray,
            "string" => instance is JsonValue v && v.GetValueKind() == JsonValueKind.String,
            "number" => instance is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
            "integer" => instance is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.IsInteger(Number(v)),
            "boolean" => instance is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "null" => instance is null,
            var other => throw new NotSupportedException($"type '{other}' is not a JSON Schema type."),
        },
    };

    private static void CheckKeywords(JsonNode? node, string at)
    {
        switch (node)
        {
            case JsonObject schema:
                foreach (var (key, value) in schema)
                {
                    if (!Keywords.Contains(key) && !Annotations.Contains(key))
                    {
                        throw new NotSupportedException($"{at}: keyword '{key}' is not supported by the test validator; extend it (with tests) before using it.");
                    }

                    switch (key)
                    {
                        case "properties" or "definitions":
                            foreach (var (name, child) in value!.AsObject())
                            {
                                CheckKeywords(child, $"{at}/{key}/{name}");
                            }

                            break;
                        case "anyOf" or "oneOf":
                            foreach (var (child, i) in value!.AsArray().Select((c, i) => (c, i)))
                            {
                                CheckKeywords(child, $"{at}/{key}/{i}");
                            }

                            break;
                        case "items" or "not" or "propertyNames" or "additionalProperties" when value is JsonObject:
                            CheckKeywords(value, $"{at}/{key}");
                            break;
                    }
                }

                break;
            default:
                throw new NotSupportedException($"{at}: a schema must be an object.");
        }
    }

    // Through the JSON text, because a JsonValue built from a long does not convert to double by GetValue.
    private static double Number(JsonNode node) =>
        double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Where(string at) => at.Length == 0 ? "/" : at;

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind().ToString().ToLowerInvariant(),
        _ => "value",
    };

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string Show(string text) => JsonValue.Create(text).ToJsonString();
}
