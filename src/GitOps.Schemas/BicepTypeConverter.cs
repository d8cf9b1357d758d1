using System.Collections.Concurrent;
using Azure.Bicep.Types.Concrete;
using GitOps.Core.Schemas;

namespace GitOps.Schemas;

/// <summary>
/// Translates the Bicep type model (<c>Azure.Bicep.Types.Concrete</c>) into Core's <see cref="SchemaType"/>s, lazily:
/// each property, item and element is a <see cref="SchemaRef"/> translated on first use, so a body that touches ten
/// properties of a type with thousands costs ten translations, and cycles in the type graph never recurse.
/// </summary>
/// <remarks>One converter per loaded resource type; a type reached twice is translated once (reference identity).</remarks>
internal sealed class BicepTypeConverter
{
    private readonly ConcurrentDictionary<TypeBase, SchemaType> _translated = new(ReferenceEqualityComparer.Instance);

    /// <summary>A lazy reference to the translation of <paramref name="reference"/>.</summary>
    public SchemaRef Reference(ITypeReference reference) => new(() => Translate(reference.Type));

    /// <summary>The translation of <paramref name="type"/> (memoised).</summary>
    public SchemaType Translate(TypeBase type) => _translated.GetOrAdd(type, Create);

    /// <summary>Core's scopes for Bicep's flags.</summary>
    public static ResourceScopes Scopes(ScopeType scopes)
    {
        var result = ResourceScopes.None;
        if ((scopes & ScopeType.Tenant) != 0)
        {
            result |= ResourceScopes.Tenant;
        }

        if ((scopes & ScopeType.ManagementGroup) != 0)
        {
            result |= ResourceScopes.ManagementGroup;
        }

        if ((scopes & ScopeType.Subscription) != 0)
        {
            result |= ResourceScopes.Subscription;
        }

        if ((scopes & ScopeType.ResourceGroup) != 0)
        {
            result |= ResourceScopes.ResourceGroup;
        }

        if ((scopes & ScopeType.Extension) != 0)
        {
            result |= ResourceScopes.Extension;
        }

        return result;
    }

    private SchemaType Create(TypeBase type) => type switch
    {
        ObjectType obj => new ObjectSchema(
            obj.Name ?? string.Empty,
            Properties(obj.Properties),
            obj.AdditionalProperties is null ? null : Reference(obj.AdditionalProperties),
            obj.Sensitive == true),
        DiscriminatedObjectType discriminated => new DiscriminatedObjectSchema(
            discriminated.Name ?? string.Empty,
            discriminated.Discriminator,
            Properties(discriminated.BaseProperties),
            discriminated.Elements.ToDictionary(e => e.Key, e => Reference(e.Value), StringComparer.Ordinal)),
        UnionType union => new UnionSchema(union.Elements.Select(Reference).ToList()),
        StringLiteralType literal => new StringLiteralSchema(literal.Value),
        StringType text => text.Sensitive == true || text.MinLength is not null || text.MaxLength is not null || text.Pattern is not null
            ? new StringSchema(text.Sensitive == true, text.MinLength, text.MaxLength, text.Pattern)
            : StringSchema.Plain,
        IntegerType number => number.MinValue is null && number.MaxValue is null ? IntegerSchema.Plain : new IntegerSchema(number.MinValue, number.MaxValue),
        BooleanType => BooleanSchema.Instance,
        NullType => NullSchema.Instance,
        ArrayType array => new ArraySchema(Reference(array.ItemType), array.MinLength, array.MaxLength),

        // Any; the obsolete built-in kinds (generated types of this version use the concrete types instead); and
        // kinds a body cannot hold (functions, resource types): nothing to check.
        _ => AnySchema.Instance,
    };

    private Dictionary<string, SchemaProperty> Properties(IReadOnlyDictionary<string, ObjectTypeProperty>? properties)
    {
        var result = new Dictionary<string, SchemaProperty>(properties?.Count ?? 0, StringComparer.Ordinal);
        if (properties is null)
        {
            return result;
        }

        foreach (var (name, property) in properties)
        {
            result[name] = new SchemaProperty(Reference(property.Type), Flags(property.Flags), property.Description);
        }

        return result;
    }

    private static SchemaPropertyFlags Flags(ObjectTypePropertyFlags flags)
    {
        var result = SchemaPropertyFlags.None;
        if ((flags & ObjectTypePropertyFlags.Required) != 0)
        {
            result |= SchemaPropertyFlags.Required;
        }

        if ((flags & ObjectTypePropertyFlags.ReadOnly) != 0)
        {
            result |= SchemaPropertyFlags.ReadOnly;
        }

        if ((flags & ObjectTypePropertyFlags.WriteOnly) != 0)
        {
            result |= SchemaPropertyFlags.WriteOnly;
        }

        if ((flags & ObjectTypePropertyFlags.DeployTimeConstant) != 0)
        {
            result |= SchemaPropertyFlags.DeployTimeConstant;
        }

        if ((flags & ObjectTypePropertyFlags.Identifier) != 0)
        {
            result |= SchemaPropertyFlags.Identifier;
        }

        return result;
    }
}
