namespace GitOps.Core.Schemas;

/// <summary>
/// An object whose shape depends on the value of one property (<c>kind: AzureCLI</c> of a deployment script,
/// the <c>name</c> of a <c>sites/config</c> resource).
/// </summary>
public sealed class DiscriminatedObjectSchema : SchemaType
{
    /// <summary>Creates a discriminated object type.</summary>
    /// <param name="name">The catalogue's name.</param>
    /// <param name="discriminator">The property whose value selects the element.</param>
    /// <param name="baseProperties">Properties every element has.</param>
    /// <param name="elements">The element object types by discriminator value.</param>
    public DiscriminatedObjectSchema(string name, string discriminator, IReadOnlyDictionary<string, SchemaProperty> baseProperties, IReadOnlyDictionary<string, SchemaRef> elements)
    {
        Name = name;
        Discriminator = discriminator;
        BaseProperties = baseProperties;
        Elements = elements;
    }

    /// <summary>The catalogue's name.</summary>
    public string Name { get; }

    /// <summary>The property whose value selects the element.</summary>
    public string Discriminator { get; }

    /// <summary>Properties every element has.</summary>
    public IReadOnlyDictionary<string, SchemaProperty> BaseProperties { get; }

    /// <summary>The element types (objects) by discriminator value.</summary>
    public IReadOnlyDictionary<string, SchemaRef> Elements { get; }

    /// <inheritdoc/>
    public override string Display => Name.Length == 0 ? "object" : Name;

    /// <summary>The element for <paramref name="value"/>: exact first, then ignoring case (<paramref name="exact"/> says which).</summary>
    public KeyValuePair<string, SchemaRef>? Find(string value, out bool exact)
    {
        exact = true;
        if (Elements.TryGetValue(value, out var element))
        {
            return new(value, element);
        }

        exact = false;
        foreach (var pair in Elements)
        {
            if (string.Equals(pair.Key, value, StringComparison.OrdinalIgnoreCase))
            {
                return pair;
            }
        }

        return null;
    }
}
