using GitOps.Core.Manifests;

namespace GitOps.Schemas.Tests;

/// <summary>
/// Real request bodies from the public REST API examples validate against the catalogue without false errors, and
/// each deliberate mistake is reported once, at the line of the property.
/// </summary>
public sealed class CorpusTests
{
    [Fact]
    public void Corpus_Covers_At_Least_100_Types_Across_30_Providers()
    {
        var entries = CorpusEntry.Entries;

        Assert.True(entries.Count >= 100, $"{entries.Count} entries");
        Assert.True(entries.Select(e => e.Type.Split('/')[0]).Distinct(StringComparer.OrdinalIgnoreCase).Count() >= 30);
        Assert.All(entries, e => Assert.StartsWith("specification/", e.Source, StringComparison.Ordinal));
    }

    /// <summary>
    /// No errors, and exactly the warnings listed in testdata/corpus/known-findings.txt: places where the example and
    /// the catalogue disagree (a spec inaccuracy, or an example that is wrong). A new warning is a regression to look at.
    /// </summary>
    [Fact]
    public void Every_Corpus_Body_Validates_Without_Errors_And_Only_The_Known_Warnings()
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (var entry in CorpusEntry.Entries)
        {
            var schema = BicepTypeCatalog.Shared.Find(entry.Type, entry.ApiVersion);
            Assert.True(schema is not null, $"{entry.Type}@{entry.ApiVersion} is not in the catalogue");
            var inGroup = (schema.WritableScopes & Core.Schemas.ResourceScopes.ResourceGroup) != 0;
            var result = Load.Single(entry.ToYaml(inGroup));
            foreach (var diagnostic in result.Diagnostics)
            {
                var line = $"{entry.Type}@{entry.ApiVersion} {diagnostic.Code} {Pointer(diagnostic.Message)}";
                (diagnostic.Severity == DiagnosticSeverity.Error ? errors : warnings).Add(line);
            }
        }

        Assert.True(errors.Count == 0, $"{errors.Count} error(s):\n" + string.Join("\n", errors));
        var known = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "testdata", "corpus", "known-findings.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var actual = warnings.Order(StringComparer.Ordinal).ToList();
        Assert.True(known.Order(StringComparer.Ordinal).SequenceEqual(actual), "The warnings differ from known-findings.txt; now:\n" + string.Join("\n", actual));
    }

    private static string Pointer(string message)
    {
        var at = message.LastIndexOf(", at ", StringComparison.Ordinal);
        return at < 0 ? "-" : message[(at + 5)..message.IndexOf(')', at)];
    }
}
