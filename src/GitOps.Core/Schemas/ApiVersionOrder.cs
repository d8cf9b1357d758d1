namespace GitOps.Core.Schemas;

/// <summary>How api-versions are offered to a user who named one the catalogue does not know.</summary>
public static class ApiVersionOrder
{
    /// <summary>How many versions <see cref="Closest"/> returns at most.</summary>
    public const int VersionsShown = 5;

    /// <summary>
    /// The newest stable version, plus the versions nearest the declared date (stable ones when there are any), in
    /// <see cref="NewestStableFirst"/> order: a typo'd date is then followed by its neighbours, an old one by the newest.
    /// </summary>
    public static List<string> Closest(IReadOnlyList<string> versions, string declared)
    {
        var stable = versions.Where(v => v.Length == 10).ToList();
        var pool = stable.Count > 0 ? stable : versions.ToList();
        var ordered = NewestStableFirst(pool).ToList();
        if (!DateOnly.TryParseExact(declared.Length >= 10 ? declared[..10] : declared, "yyyy-MM-dd", out var date))
        {
            return ordered.Take(VersionsShown).ToList();
        }

        var nearest = pool
            .Select(v => (Version: v, Days: DateOnly.TryParseExact(v[..10], "yyyy-MM-dd", out var d) ? Math.Abs(d.DayNumber - date.DayNumber) : int.MaxValue))
            .OrderBy(p => p.Days)
            .ThenByDescending(p => p.Version, StringComparer.OrdinalIgnoreCase)
            .Take(VersionsShown - 1)
            .Select(p => p.Version)
            .Append(ordered[0]);
        return NewestStableFirst(nearest.Distinct(StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Stable versions newest first, then previews newest first (<c>2023-05-01</c> before <c>2024-01-01-preview</c>).</summary>
    public static IEnumerable<string> NewestStableFirst(IEnumerable<string> versions) =>
        versions
            .OrderBy(v => v.Length > 10 ? 1 : 0)
            .ThenByDescending(v => v, StringComparer.OrdinalIgnoreCase);
}
