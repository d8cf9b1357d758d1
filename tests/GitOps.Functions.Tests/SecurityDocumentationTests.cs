using System.Text.RegularExpressions;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>
/// <c>docs/security.md</c> "Where credentials go" states each fact with the test that backs it; a renamed or deleted test
/// must not leave the page vouching for something nothing checks.
/// </summary>
public sealed partial class SecurityDocumentationTests
{
    private static readonly string s_root = RepositoryRoot.Find();

    [GeneratedRegex(@"`(?<class>[A-Za-z]+Tests)\.(?<method>[A-Za-z0-9_]+)`")]
    private static partial Regex TestReference();

    [Fact]
    public void Where_Credentials_Go_Names_Only_Tests_That_Exist()
    {
        var page = File.ReadAllText(Path.Combine(s_root, "docs", "security.md"));
        var start = page.IndexOf("## Where credentials go", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/security.md has no '## Where credentials go' section");
        var end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? page[start..] : page[start..end];
        var sources = Directory.EnumerateFiles(Path.Combine(s_root, "tests"), "*Tests.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .GroupBy(Path.GetFileNameWithoutExtension, StringComparer.Ordinal)
            .ToDictionary(g => g.Key!, g => string.Join('\n', g.Select(File.ReadAllText)), StringComparer.Ordinal);

        var references = TestReference().Matches(section).Select(m => (Class: m.Groups["class"].Value, Method: m.Groups["method"].Value)).Distinct().ToList();
        var missing = references
            .Where(r => !sources.TryGetValue(r.Class, out var source) || !Regex.IsMatch(source, $@"\b(void|Task)\s+{Regex.Escape(r.Method)}\("))
            .Select(r => $"{r.Class}.{r.Method}")
            .ToList();

        Assert.True(references.Count >= 20, $"only {references.Count} test references found");
        Assert.True(missing.Count == 0, "docs/security.md names tests that do not exist: " + string.Join(", ", missing));
    }
}
