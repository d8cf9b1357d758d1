using GitOps.Core.Manifests;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class ExpressionTests
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["location"] = "westeurope",
        ["suffix"] = "prod",
        ["capacity"] = "3",
        ["enabled"] = "true",
    };

    private static EnvironmentLoadResult Load(string properties) =>
        LoadSingle(
            "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-${{ vars.suffix }}\nlocation: ${{ vars.location }}\nproperties:\n" + properties,
            Variables);

    [Fact]
    public void Variables_Expand_In_Whole_Values_And_Inside_Text()
    {
        var result = Load("""
              whole: ${{ vars.location }}
              inside: "st${{vars.suffix}}-${{ env.name }}-x"
              environment: ${{ env.name }}
              subscription: ${{ env.subscriptionId }}
              key-${{ vars.suffix }}: value
              list: [ "${{ vars.suffix }}" ]
            """);

        AssertNoErrors(result);
        var resource = result.Resources.Single();
        Assert.Equal("rg-prod", resource.Name);
        Assert.Equal("westeurope", resource.Body["location"]!.GetValue<string>());
        var properties = resource.Body["properties"]!;
        Assert.Equal("westeurope", properties["whole"]!.GetValue<string>());
        Assert.Equal("stprod-test-x", properties["inside"]!.GetValue<string>());
        Assert.Equal("test", properties["environment"]!.GetValue<string>());
        Assert.Equal(Subscription, properties["subscription"]!.GetValue<string>());
        Assert.Equal("value", properties["key-prod"]!.GetValue<string>());
        Assert.Equal("prod", properties["list"]![0]!.GetValue<string>());
    }

    [Fact]
    public void A_Plain_Whole_Expression_Takes_The_Type_Of_Its_Value_And_A_Quoted_One_Stays_Text()
    {
        var result = Load("""
              capacity: ${{ vars.capacity }}
              enabled: ${{ vars.enabled }}
              quoted: "${{ vars.capacity }}"
              mixed: ${{ vars.capacity }}0
            """);

        AssertNoErrors(result);
        var properties = result.Resources.Single().Body["properties"]!;
        Assert.Equal(3L, properties["capacity"]!.GetValue<long>());
        Assert.True(properties["enabled"]!.GetValue<bool>());
        Assert.Equal("3", properties["quoted"]!.GetValue<string>());
        Assert.Equal("30", properties["mixed"]!.GetValue<string>());
    }

    [Fact]
    public void Double_Dollar_Escapes_An_Expression()
    {
        var result = Load("  literal: \"$${{ github.sha }}\"\n");

        AssertNoErrors(result);
        Assert.Equal("${{ github.sha }}", result.Resources.Single().Body["properties"]!["literal"]!.GetValue<string>());
    }

    [Fact]
    public void Undefined_Variable_Names_Location_Variable_And_Defined_Ones()
    {
        var result = Load("  value: \"abc-${{ vars.locaton }}\"\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.UndefinedVariable);
        AssertAt(error, "main.yaml", 5, 19);
        Assert.Contains("'locaton'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'location'", error.Message, StringComparison.Ordinal);
        Assert.Contains("capacity, enabled, location, suffix", error.Hint, StringComparison.Ordinal);
        Assert.Contains("main.yaml:5:19: error GO1007", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_Variable_In_The_Name_Is_Reported()
    {
        var result = LoadSingle("type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-${{ vars.team }}\nlocation: westeurope\n");

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.UndefinedVariable), "main.yaml", 2, 14);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Env_Subscription_Without_A_Default_Is_Reported()
    {
        var result = LoadSingle(
            $"type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg\nsubscriptionId: {Subscription}\nlocation: westeurope\ntags: {{ sub: '${{{{ env.subscriptionId }}}}' }}\n",
            subscriptionId: null);

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.UndefinedVariable), "main.yaml", 5, 19);
    }

    [Theory]
    [InlineData("  a: ${{ secrets.x }}\n", "Unknown expression")]
    [InlineData("  a: ${{ env.region }}\n", "'env.region' is not defined")]
    [InlineData("  a: ${{ refs(Microsoft.Storage/storageAccounts/x) }}\n", "did you mean 'ref'")]
    [InlineData("  a: ${{ vars. }}\n", "Cannot read the expression")]
    [InlineData("  a: \"${{ vars.location\"\n", "no closing")]
    public void Unknown_Or_Malformed_Expressions_Are_Reported(string line, string expected)
    {
        var result = Load(line);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(5, error.Location.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ref_Is_Refused_In_Identity_Fields()
    {
        var result = LoadSingle("""
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-a
            location: westeurope
            ---
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: ${{ ref(Microsoft.Resources/resourceGroups/rg-a) }}
            location: westeurope
            """);

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        AssertAt(error, "main.yaml", 6, 11);
        Assert.Contains("identity", error.Message, StringComparison.Ordinal);
    }
}
