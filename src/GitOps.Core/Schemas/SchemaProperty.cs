namespace GitOps.Core.Schemas;

/// <summary>A property of an <see cref="ObjectSchema"/>: its type, flags and the catalogue's description.</summary>
/// <param name="TypeRef">The property's type.</param>
/// <param name="Flags">Required, read-only, write-only.</param>
/// <param name="Description">The REST spec's description, if any.</param>
public sealed record SchemaProperty(SchemaRef TypeRef, SchemaPropertyFlags Flags, string? Description = null)
{
    /// <summary>The property's type.</summary>
    public SchemaType Type => TypeRef.Type;

    /// <summary>True when ARM sets the property.</summary>
    public bool IsReadOnly => (Flags & SchemaPropertyFlags.ReadOnly) != 0;

    /// <summary>True when GET never returns the property.</summary>
    public bool IsWriteOnly => (Flags & SchemaPropertyFlags.WriteOnly) != 0;

    /// <summary>True when a PUT must hold it (and ARM does not set it).</summary>
    public bool IsRequired => (Flags & SchemaPropertyFlags.Required) != 0 && !IsReadOnly;
}
