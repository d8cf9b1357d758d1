using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Schemas;

namespace GitOps.Core.Planning;

/// <summary>
/// What the catalogue's types tell the planner about a declared path: the type of a child, whether ARM sets it
/// (read-only: never drift), whether GET never returns it (write-only or secure: compared through the declaration
/// digest, never shown), and whether a string is an enum (compared ignoring case).
/// </summary>
/// <remarks>Pure lookups on an already-loaded <see cref="ResourceTypeSchema"/>; the planner never loads a type.</remarks>
internal static class SchemaFlags
{
    /// <summary>A child of an object: its property entry (null for a map value or an unknown key) and its type.</summary>
    public readonly record struct Child(SchemaProperty? Property, SchemaType? Type)
    {
        /// <summary>ARM sets it: a declared value is never drift (the loader also leaves it out of the body).</summary>
        public bool IsReadOnly => Property?.IsReadOnly == true;

        /// <summary>GET never returns it, or it is a secret: never diffed, never shown.</summary>
        public bool IsSecret => Property?.IsWriteOnly == true || IsSensitive(Type);
    }

    /// <summary>The child <paramref name="key"/> of <paramref name="value"/>, typed <paramref name="type"/>.</summary>
    /// <param name="type">The object's type; null when unknown.</param>
    /// <param name="value">The declared object (selects a discriminated shape).</param>
    /// <param name="key">The key.</param>
    /// <param name="resourceName">The resource's name, for a body discriminated on <c>name</c> (top level only).</param>
    public static Child Find(SchemaType? type, JsonObject value, string key, string? resourceName = null)
    {
        IReadOnlyDictionary<string, SchemaProperty>? properties;
        IReadOnlyDictionary<string, SchemaProperty>? more = null;
        SchemaRef? additional;
        switch (type)
        {
            case ObjectSchema obj:
                properties = obj.Properties;
                additional = obj.AdditionalProperties;
                break;
            case DiscriminatedObjectSchema discriminated:
                properties = discriminated.BaseProperties;
                var selector = value[discriminated.Discriminator] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? v.GetValue<string>()
                    : resourceName?[(resourceName.LastIndexOf('/') + 1)..];
                var element = selector is null ? null : discriminated.Find(selector, out _)?.Value.Type as ObjectSchema;
                more = element?.Properties;
                additional = element?.AdditionalProperties;
                break;
            default:
                return default;
        }

        if ((Lookup(more, key) ?? Lookup(properties, key)) is { } property)
        {
            return new Child(property, property.Type);
        }

        return new Child(null, additional?.Type);
    }

    /// <summary>The item type of an array type.</summary>
    public static SchemaType? Item(SchemaType? type) => type is ArraySchema array ? array.Item.Type : null;

    /// <summary>
    /// True when <paramref name="type"/> is an enum holding a literal equal to both values ignoring case: ARM echoes enum
    /// values in its own casing (<c>"Array"</c> for a declared <c>"array"</c>, arm-template-whatif#69).
    /// </summary>
    public static bool EnumEquals(SchemaType? type, string desired, string live)
    {
        if (type is null || !string.Equals(desired, live, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return type switch
        {
            StringLiteralSchema literal => string.Equals(literal.Value, desired, StringComparison.OrdinalIgnoreCase),
            UnionSchema union => union.Elements.Any(e => e.Type is StringLiteralSchema l && string.Equals(l.Value, desired, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    /// <summary>
    /// A copy of <paramref name="node"/> with the values of write-only and secure properties replaced by the marker,
    /// or <paramref name="node"/> itself when there is none (<paramref name="redacted"/> says which).
    /// </summary>
    public static JsonNode? Redact(JsonNode? node, SchemaType? type, out bool redacted)
    {
        redacted = false;
        if (node is null || type is null || !HasSecret(node, type, depth: 0))
        {
            return node;
        }

        redacted = true;
        var copy = node.DeepClone();
        Replace(copy, type, depth: 0);
        return copy;
    }

    private static bool IsSensitive(SchemaType? type) => type is StringSchema { Sensitive: true } or ObjectSchema { Sensitive: true };

    private static SchemaProperty? Lookup(IReadOnlyDictionary<string, SchemaProperty>? properties, string key)
    {
        if (properties is null)
        {
            return null;
        }

        if (properties.TryGetValue(key, out var property))
        {
            return property;
        }

        foreach (var (name, candidate) in properties)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    // Bodies are bounded by the loader (depth 64), so the walk is too; the guard covers hand-built inputs.
    private const int MaxDepth = 128;

    private static bool HasSecret(JsonNode node, SchemaType type, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var child = Find(type, obj, key);
                    if (value is not null && (child.IsSecret || (child.Type is not null && HasSecret(value, child.Type, depth + 1))))
                    {
                        return true;
                    }
                }

                return false;
            case JsonArray array when Item(type) is { } item:
                return array.Any(element => element is not null && HasSecret(element, item, depth + 1));
            default:
                return false;
        }
    }

    private static void Replace(JsonNode node, SchemaType type, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var value = obj[key];
                    var child = Find(type, obj, key);
                    if (value is null)
                    {
                        continue;
                    }

                    if (child.IsSecret)
                    {
                        obj[key] = SecretProperties.Marker();
                    }
                    else if (child.Type is not null)
                    {
                        Replace(value, child.Type, depth + 1);
                    }
                }

                break;
            case JsonArray array when Item(type) is { } item:
                foreach (var element in array)
                {
                    if (element is not null)
                    {
                        Replace(element, item, depth + 1);
                    }
                }

                break;
        }
    }
}
