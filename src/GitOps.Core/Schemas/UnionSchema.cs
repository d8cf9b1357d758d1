namespace GitOps.Core.Schemas;

/// <summary>
/// One of several types. Most unions in the catalogue are enums: string literals, plus <see cref="StringSchema"/> when
/// the enum is extensible (<c>'TLS1_0' | 'TLS1_2' | string</c>).
/// </summary>
public sealed class UnionSchema : SchemaType
{
    /// <summary>Creates a union.</summary>
    public UnionSchema(IReadOnlyList<SchemaRef> elements) => Elements = elements;

    /// <summary>The alternatives.</summary>
    public IReadOnlyList<SchemaRef> Elements { get; }

    /// <inheritdoc/>
    public override string Display => string.Join(" | ", Elements.Take(12).Select(e => e.Type.Display)) + (Elements.Count > 12 ? " | …" : string.Empty);
}
