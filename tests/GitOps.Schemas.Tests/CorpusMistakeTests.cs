using GitOps.Core.Manifests;

namespace GitOps.Schemas.Tests;

/// <summary>
/// One deliberate mistake of each kind, made in a real request body of the corpus, is reported exactly once, with its
/// code, at the line of the property it concerns, and nothing else is reported.
/// </summary>
public sealed class CorpusMistakeTests
{
    private const string Vault = "Microsoft.KeyVault/vaults";
    private const string IntegrationRuntime = "Microsoft.DataFactory/factories/integrationRuntimes";

    [Theory]
    [InlineData(Vault, "\"enabledForDeployment\"", "\"enabledForDeploymnet\"", DiagnosticCodes.SchemaUnknownProperty, "did you mean 'enabledForDeployment'?")]
    [InlineData(Vault, "\"enabledForDiskEncryption\": true", "\"enabledForDiskEncryption\": \"yes\"", DiagnosticCodes.SchemaTypeMismatch, "must be a boolean")]
    [InlineData(Vault, "\"name\": \"standard\"", "\"name\": \"basic\"", DiagnosticCodes.SchemaTypeMismatch, "not one of 'standard', 'premium'")]
    [InlineData(Vault, "\"name\": \"standard\"", "\"name\": \"Standard\"", DiagnosticCodes.SchemaTypeMismatch, "the catalogue spells it 'standard'")]
    [InlineData(Vault, "\"enabledForDeployment\": true,", "\"privateEndpointConnections\": [],\n    \"enabledForDeployment\": true,", DiagnosticCodes.SchemaReadOnlyProperty, "ARM sets this; remove it")]
    [InlineData(IntegrationRuntime, "\"type\": \"SelfHosted\"", "\"type\": \"SelfHostd\"", DiagnosticCodes.SchemaTypeMismatch, "allowed: 'Managed', 'SelfHosted'")]
    public void Mistake_Is_Reported_Once_At_The_Line_Of_The_Property(string type, string find, string replace, string code, string expected)
    {
        var yaml = Mutate(type, find, replace, out var line);

        var result = Load.Single(yaml);

        var finding = Assert.Single(result.Diagnostics);
        Assert.Equal(code, finding.Code);
        Assert.Equal(line, finding.Location.Line);
        Assert.Contains(expected, finding.Message + " " + finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_Required_Property_Is_Reported_Once_At_The_Object_That_Lacks_It()
    {
        var yaml = Mutate(Vault, "\"tenantId\": \"00000000-0000-0000-0000-000000000000\",", string.Empty, out _);
        var propertiesLine = Array.FindIndex(yaml.Split('\n'), l => l.Contains("\"properties\"", StringComparison.Ordinal)) + 1;

        var result = Load.Single(yaml);

        var finding = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.SchemaMissingProperty, finding.Code);
        Assert.Equal(propertiesLine, finding.Location.Line);
        Assert.Contains("'tenantId'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unmutated_Bodies_Of_The_Mistake_Tests_Have_No_Findings()
    {
        foreach (var type in new[] { Vault, IntegrationRuntime })
        {
            Assert.Empty(Load.Single(Entry(type).ToYaml()).Diagnostics);
        }
    }

    private static CorpusEntry Entry(string type) => CorpusEntry.Entries.Single(e => e.Type == type);

    /// <summary>The entry's document with <paramref name="find"/> replaced once; <paramref name="line"/> is the 1-based line of the replacement's first line.</summary>
    private static string Mutate(string type, string find, string replace, out int line)
    {
        var yaml = Entry(type).ToYaml();
        var at = yaml.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in the corpus body of {type}");
        Assert.True(yaml.IndexOf(find, at + 1, StringComparison.Ordinal) < 0, $"'{find}' is in the corpus body of {type} twice");
        line = yaml[..at].Count(c => c == '\n') + 1;
        return yaml[..at] + replace + yaml[(at + find.Length)..];
    }
}
