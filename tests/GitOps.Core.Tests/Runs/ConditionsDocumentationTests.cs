using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Manifests;

namespace GitOps.Core.Tests.Runs;

/// <summary>
/// The reasons docs/operations.md lists under Conditions are exactly the ones in <see cref="Conditions"/> (the code
/// sets each one: see FailureReasonTests). Types and reasons are told apart by their XML docs ("Type:", "Reason:").
/// </summary>
public sealed partial class ConditionsDocumentationTests
{
    private static readonly IReadOnlyDictionary<string, string> Constants = typeof(Conditions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!, StringComparer.Ordinal);

    private static IReadOnlyList<string> Kind(string prefix)
    {
        var xml = XDocument.Load(Path.ChangeExtension(typeof(Conditions).Assembly.Location, ".xml"));
        return xml.Descendants("member")
            .Where(m => ((string?)m.Attribute("name"))?.StartsWith("F:GitOps.Core.Runs.Conditions.", StringComparison.Ordinal) == true)
            .Where(m => m.Element("summary")?.Value.Trim().StartsWith(prefix, StringComparison.Ordinal) == true)
            .Select(m => Constants[((string)m.Attribute("name")!)["F:GitOps.Core.Runs.Conditions.".Length..]])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string ConditionsSection()
    {
        var text = File.ReadAllText(Path.Combine(ManifestTestSupport.RepositoryRoot(), "docs", "operations.md"));
        var start = text.IndexOf("**Conditions** on the environment", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/operations.md has no Conditions list.");
        var end = text.IndexOf("\n\n", text.IndexOf("\n- ", start, StringComparison.Ordinal), StringComparison.Ordinal);
        return text[start..end];
    }

    [GeneratedRegex("`([A-Z][A-Za-z]+)`")]
    private static partial Regex CodeName();

    [Fact]
    public void Every_Constant_Is_A_Documented_Type_Or_Reason()
    {
        Assert.Equal(["Drifted", "Ready", "Suspended"], Kind("Type:"));
        Assert.Equal(Constants.Count, Kind("Type:").Count + Kind("Reason:").Count);
    }

    [Fact]
    public void Every_Reason_In_Code_Is_Listed_Under_Conditions_In_Operations_Md()
    {
        var section = ConditionsSection();

        Assert.All(Kind("Reason:"), reason => Assert.Contains($"`{reason}`", section, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_Reason_Listed_Under_Conditions_Exists_In_Code()
    {
        var documented = CodeName().Matches(ConditionsSection()).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(documented);
        Assert.All(documented, name => Assert.Contains(name, Constants.Values));
    }

    [Fact]
    public void Failure_Reasons_Are_Reasons()
    {
        Assert.All(Conditions.FailureReasons, reason => Assert.Contains(reason, Kind("Reason:")));
        Assert.DoesNotContain(Conditions.ReconciliationSucceeded, Conditions.FailureReasons);
        Assert.DoesNotContain(Conditions.DriftDetected, Conditions.FailureReasons);
    }
}
