namespace GitOps.Core.Planning;

/// <summary>
/// RFC 6901 JSON pointers as used in <see cref="FieldDiff.Path"/> and <c>reconcile.ignore</c>:
/// <c>~</c> is written <c>~0</c> and <c>/</c> is written <c>~1</c> inside a segment.
/// </summary>
public static class JsonPointer
{
    /// <summary>Escapes one reference token (<c>a/b</c> becomes <c>a~1b</c>).</summary>
    public static string Escape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.AsSpan().IndexOfAny('~', '/') < 0
            ? segment
            : segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>Unescapes one reference token (<c>a~1b</c> becomes <c>a/b</c>).</summary>
    public static string Unescape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);

        // Order matters (RFC 6901 §4): ~1 first, then ~0, so "~01" becomes "~1" and not "/".
        return segment.Contains('~', StringComparison.Ordinal)
            ? segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)
            : segment;
    }

    /// <summary>
    /// True when <paramref name="path"/> is <paramref name="prefix"/> or lies under it (segment-wise, so
    /// <c>/properties/ab</c> is not under <c>/properties/a</c>). The empty pointer is the whole document.
    /// </summary>
    public static bool IsSameOrUnder(ReadOnlySpan<char> path, ReadOnlySpan<char> prefix)
    {
        if (prefix.Length == 0)
        {
            return true;
        }

        return path.StartsWith(prefix, StringComparison.Ordinal)
            && (path.Length == prefix.Length || path[prefix.Length] == '/');
    }
}
