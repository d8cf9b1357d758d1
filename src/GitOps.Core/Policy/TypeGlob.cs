namespace GitOps.Core.Policy;

/// <summary>
/// Resource type patterns: <c>*</c> stands for any run of characters, '/' included, so <c>Microsoft.Storage/*</c> covers
/// child types such as <c>Microsoft.Storage/storageAccounts/blobServices</c>. ARM types are case-insensitive, so are globs.
/// </summary>
internal static class TypeGlob
{
    /// <summary>True when <paramref name="value"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, string value)
    {
        // Greedy match with backtracking to the last '*': linear in practice, never exponential.
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(value[v]))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
