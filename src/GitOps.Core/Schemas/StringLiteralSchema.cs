namespace GitOps.Core.Schemas;

/// <summary>Exactly one string value (an enum member).</summary>
public sealed class StringLiteralSchema(string value) : SchemaType
{
    /// <summary>The value.</summary>
    public string Value { get; } = value;

    /// <inheritdoc/>
    public override string Display => $"'{Value}'";
}
