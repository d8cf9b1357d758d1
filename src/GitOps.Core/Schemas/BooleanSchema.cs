namespace GitOps.Core.Schemas;

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed class BooleanSchema : SchemaType
{
    private BooleanSchema()
    {
    }

    /// <summary>The one instance.</summary>
    public static BooleanSchema Instance { get; } = new();

    /// <inheritdoc/>
    public override string Display => "boolean";
}
