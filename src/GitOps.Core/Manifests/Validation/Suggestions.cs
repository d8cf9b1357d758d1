namespace GitOps.Core.Manifests.Validation;

/// <summary>"Did you mean" suggestions by edit distance, so a typo such as <c>propertes</c> points at the fix.</summary>
internal static class Suggestions
{
    /// <summary>The closest candidate within a distance that still looks like a typo, or null.</summary>
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(value, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // A third of the length (at least 1, at most 3) separates typos from unrelated words.
        var allowed = Math.Clamp(value.Length / 3, 1, 3);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    /// <summary>The end of a sentence: "; did you mean 'x'?" or ".".</summary>
    public static string DidYouMean(string value, IEnumerable<string> candidates) =>
        Closest(value, candidates) is { } match ? $"; did you mean '{match}'?" : ".";

    /// <summary>
    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring case: a wrong case
    /// counts as a small slip, and swapped letters (<c>proeprties</c>) as one edit.
    /// </summary>
    public static int Distance(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return string.Equals(a, b, StringComparison.Ordinal) ? 0 : 1;
        }

        // Long inputs are never typos of our short field names; bound the work.
        if (a.Length > 128 || b.Length > 128)
        {
            return int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1
                    && char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 2])
                    && char.ToLowerInvariant(a[i - 2]) == char.ToLowerInvariant(b[j - 1]))
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
