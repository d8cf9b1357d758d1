namespace GitOps.Core.Schemas;

/// <summary>Only <c>null</c>.</summary>
public sealed class NullSchema : SchemaType
{
    private NullSchema()
    {
    }

    /// <summary>The one instance.</summary>
    public static NullSchema Instance { get; } = new();

    /// <inheritdoc/>
    public override string Display => "null";
}
