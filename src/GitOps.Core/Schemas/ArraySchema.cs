namespace GitOps.Core.Schemas;

/// <summary>A JSON array of one item type, with optional length bounds.</summary>
/// <param name="Item">The item type.</param>
/// <param name="MinLength">Fewest items.</param>
/// <param name="MaxLength">Most items.</param>
public sealed class ArraySchema(SchemaRef Item, long? MinLength = null, long? MaxLength = null) : SchemaType
{
    /// <summary>The item type.</summary>
    public SchemaRef Item { get; } = Item;

    /// <summary>Fewest items.</summary>
    public long? MinLength { get; } = MinLength;

    /// <summary>Most items.</summary>
    public long? MaxLength { get; } = MaxLength;

    /// <inheritdoc/>
    public override string Display => $"{Item.Type.Display}[]";
}
