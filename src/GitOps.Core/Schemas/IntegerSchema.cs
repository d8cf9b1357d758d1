namespace GitOps.Core.Schemas;

/// <summary>
/// A number. The catalogue's generator maps the REST spec's <c>number</c> to integer too, so any JSON number is
/// accepted; only the bounds are checked.
/// </summary>
/// <param name="MinValue">Smallest allowed value.</param>
/// <param name="MaxValue">Largest allowed value.</param>
public sealed class IntegerSchema(long? MinValue = null, long? MaxValue = null) : SchemaType
{
    /// <summary>Smallest allowed value.</summary>
    public long? MinValue { get; } = MinValue;

    /// <summary>Largest allowed value.</summary>
    public long? MaxValue { get; } = MaxValue;

    /// <summary>Any number.</summary>
    public static IntegerSchema Plain { get; } = new();

    /// <inheritdoc/>
    public override string Display => "number";
}
