namespace GitOps.Core.Manifests;

/// <summary>
/// A place in a config file: the path relative to the repository root, and a 1-based line and column.
/// Every diagnostic and every declared resource carries one, so a user is always sent to the exact spot.
/// </summary>
/// <param name="File">Path of the file, relative to the config repository (forward slashes).</param>
/// <param name="Line">1-based line number; 0 when the whole file is meant.</param>
/// <param name="Column">1-based column number; 0 when the whole line is meant.</param>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location that names a whole file.</summary>
    public static SourceLocation OfFile(string file) => new(file, 0, 0);

    /// <summary>Formats as <c>file:line:column</c>, the form editors and CI annotations understand.</summary>
    public override string ToString() =>
        Line <= 0 ? File : Column <= 0 ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}
