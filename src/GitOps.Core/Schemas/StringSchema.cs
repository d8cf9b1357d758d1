namespace GitOps.Core.Schemas;

/// <summary>Any string, with optional length bounds and a pattern.</summary>
/// <param name="Sensitive">A secret (<c>@secure</c>, <c>x-ms-secret</c>): never shown, never diffed.</param>
/// <param name="MinLength">Shortest allowed length.</param>
/// <param name="MaxLength">Longest allowed length.</param>
/// <param name="Pattern">The REST spec's pattern (an ECMAScript regular expression; kept for editors, not checked).</param>
public sealed class StringSchema(bool Sensitive = false, long? MinLength = null, long? MaxLength = null, string? Pattern = null) : SchemaType
{
    /// <summary>A secret: never shown, never diffed.</summary>
    public bool Sensitive { get; } = Sensitive;

    /// <summary>Shortest allowed length.</summary>
    public long? MinLength { get; } = MinLength;

    /// <summary>Longest allowed length.</summary>
    public long? MaxLength { get; } = MaxLength;

    /// <summary>The REST spec's pattern.</summary>
    public string? Pattern { get; } = Pattern;

    /// <summary>A plain string.</summary>
    public static StringSchema Plain { get; } = new();

    /// <inheritdoc/>
    public override string Display => "string";
}
