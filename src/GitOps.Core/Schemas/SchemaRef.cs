namespace GitOps.Core.Schemas;

/// <summary>
/// A reference to a <see cref="SchemaType"/> that is resolved on first use. The catalogue's type graphs have cycles
/// (an error detail holds details) and some are large (a web site references thousands of types), so an adapter
/// translates only what a body actually reaches.
/// </summary>
public sealed class SchemaRef
{
    private readonly Lazy<SchemaType> _type;

    /// <summary>A reference resolved by <paramref name="resolve"/> once, on first use (thread-safe).</summary>
    public SchemaRef(Func<SchemaType> resolve) =>
        _type = new Lazy<SchemaType>(resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A reference to a type that is already built.</summary>
    public SchemaRef(SchemaType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _type = new Lazy<SchemaType>(type);
    }

    /// <summary>The type.</summary>
    public SchemaType Type => _type.Value;
}
