namespace GitOps.Core.Schemas;

/// <summary>Any JSON value: the catalogue does not say (free-form settings, template bodies).</summary>
public sealed class AnySchema : SchemaType
{
    private AnySchema()
    {
    }

    /// <summary>The one instance.</summary>
    public static AnySchema Instance { get; } = new();

    /// <inheritdoc/>
    public override string Display => "any";
}
