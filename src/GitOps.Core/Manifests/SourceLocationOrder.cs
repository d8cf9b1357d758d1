namespace GitOps.Core.Manifests;

/// <summary>Orders diagnostics as an editor lists them: by file, then line, then column.</summary>
internal static class SourceLocationOrder
{
    /// <summary>
    /// Sorts by location. The sort is stable, so diagnostics at the same place keep the order they were found in
    /// (a cause before its consequence).
    /// </summary>
    public static IReadOnlyList<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
}
