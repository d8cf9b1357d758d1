namespace GitOps.Core.Schemas;

/// <summary>A JSON object with named properties and, optionally, a type for any other key (a map).</summary>
public sealed class ObjectSchema : SchemaType
{
    /// <summary>Creates an object type.</summary>
    /// <param name="name">The catalogue's name of the type (<c>StorageAccountPropertiesCreateParameters</c>).</param>
    /// <param name="properties">The named properties; looked up exactly, then ignoring case.</param>
    /// <param name="additionalProperties">The type of keys not in <paramref name="properties"/>; null when none are allowed.</param>
    /// <param name="sensitive">True when the whole object is a secret.</param>
    public ObjectSchema(string name, IReadOnlyDictionary<string, SchemaProperty> properties, SchemaRef? additionalProperties, bool sensitive = false)
    {
        ArgumentNullException.ThrowIfNull(properties);
        Name = name;
        Properties = properties;
        AdditionalProperties = additionalProperties;
        Sensitive = sensitive;
    }

    /// <summary>The catalogue's name of the type.</summary>
    public string Name { get; }

    /// <summary>The named properties.</summary>
    public IReadOnlyDictionary<string, SchemaProperty> Properties { get; }

    /// <summary>The type of other keys, or null when the object is closed.</summary>
    public SchemaRef? AdditionalProperties { get; }

    /// <summary>True when the whole object is a secret (never shown, never diffed).</summary>
    public bool Sensitive { get; }

    /// <inheritdoc/>
    public override string Display => Name.Length == 0 ? "object" : Name;
}
