using GitOps.Core.Manifests;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class BodyValidationTests
{
    private const string Head = "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: nsg-app\nresourceGroup: rg-app\n";

    [Theory]
    [InlineData("tags: [ a, b ]", 4, 1, "'tags' must be a map")]
    [InlineData("tags: { owner: { name: x } }", 4, 9, "Tag 'owner' must have a text value, not a map")]
    [InlineData("tags: { owner: }", 4, 9, "not null")]
    [InlineData("tags: { 'a/b': x }", 4, 9, "contains a character")]
    [InlineData("location: 42", 4, 1, "'location' must be text, not the number 42")]
    [InlineData("location: [ westeurope ]", 4, 1, "'location' must be text, not a list")]
    [InlineData("kind: { a: b }", 4, 1, "'kind' must be text")]
    [InlineData("sku: Standard", 4, 1, "'sku' must be a map")]
    [InlineData("properties: [ 1 ]", 4, 1, "'properties' must be a map")]
    [InlineData("zones: 1", 4, 1, "'zones' must be a list")]
    public void Wrong_Shapes_Are_Reported_At_The_Field(string line, int expectedLine, int expectedColumn, string expected)
    {
        var result = LoadSingle(Head + line + "\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        AssertAt(error, "main.yaml", expectedLine, expectedColumn);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Tag_Limits_Are_Enforced()
    {
        var manyTags = string.Join(", ", Enumerable.Range(0, 51).Select(i => $"t{i}: v"));
        var tooMany = LoadSingle(Head + $"tags: {{ {manyTags} }}\n");
        var longName = LoadSingle(Head + $"tags: {{ {new string('n', 513)}: v }}\n");
        var longValue = LoadSingle(Head + $"tags: {{ owner: {new string('v', 257)} }}\n");

        Assert.Contains("51 tags", Single(tooMany.Diagnostics, DiagnosticCodes.InvalidValue).Message, StringComparison.Ordinal);
        Assert.Contains("513 characters", Single(longName.Diagnostics, DiagnosticCodes.InvalidValue).Message, StringComparison.Ordinal);
        Assert.Contains("257 characters", Single(longValue.Diagnostics, DiagnosticCodes.InvalidValue).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tag_And_Zone_Scalars_Are_Kept_As_Text()
    {
        var result = LoadSingle(Head + "location: westeurope\ntags: { costCenter: 1234, active: true, version: 1.10 }\nzones: [1, 2, 3]\n");

        AssertNoErrors(result);
        var body = result.Resources.Single().Body;
        Assert.Equal("""{"costCenter":"1234","active":"true","version":"1.10"}""", body["tags"]!.ToJsonString());
        Assert.Equal("""["1","2","3"]""", body["zones"]!.ToJsonString());
    }

    [Fact]
    public void Read_Only_Properties_Are_A_Warning()
    {
        var result = LoadSingle(Head + "location: westeurope\nproperties:\n  provisioningState: Succeeded\n");

        Assert.False(result.HasErrors);
        var warning = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        AssertAt(warning, "main.yaml", 6, 3);
        Assert.Single(result.Resources);
    }

    [Fact]
    public void Security_Rules_Keep_Their_Structure()
    {
        var result = LoadSingle(Head + """
            location: westeurope
            properties:
              securityRules:
                - name: allow-https
                  properties: { priority: 100, direction: Inbound, access: Allow, protocol: Tcp, sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '443' }
            """);

        AssertNoErrors(result);
        var rule = result.Resources.Single().Body["properties"]!["securityRules"]![0]!;
        Assert.Equal(100L, rule["properties"]!["priority"]!.GetValue<long>());
        Assert.Equal("443", rule["properties"]!["destinationPortRange"]!.GetValue<string>());
    }
}
