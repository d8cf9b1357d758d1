using GitOps.Core.Manifests;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

/// <summary>Issue 18 item 2: <c>reconcile.health</c> and <c>reconcile.healthTimeout</c>, bounded and reported at their line.</summary>
public sealed class HealthSettingsTests
{
    private const string Resource = """
        type: Microsoft.Web/sites@2023-12-01
        name: app1
        resourceGroup: rg
        location: westeurope
        reconcile:

        """;

    [Fact]
    public void Reads_Health_Assertions_And_Timeout()
    {
        var result = LoadSingle(Resource + "  health: [ { path: /properties/state, equals: Running }, { path: /properties/httpsOnly, equals: true } ]\n  healthTimeout: 10m\n");

        AssertNoErrors(result);
        var health = Assert.Single(result.Resources).Reconcile.Health!;
        Assert.Equal([new HealthAssertion("/properties/state", "Running"), new HealthAssertion("/properties/httpsOnly", "true")], health.Checks);
        Assert.Equal(TimeSpan.FromMinutes(10), health.Timeout);
    }

    [Fact]
    public void Without_Health_There_Is_No_Assertion_And_The_Default_Timeout_Applies_When_Listed()
    {
        Assert.Null(Assert.Single(LoadSingle(Resource + "  policy: manage\n").Resources).Reconcile.Health);
        Assert.Equal(HealthSettings.DefaultTimeout, Assert.Single(LoadSingle(Resource + "  health: [ { path: /properties/state, equals: Running } ]\n").Resources).Reconcile.Health!.Timeout);
    }

    [Theory]
    [InlineData("  health: [ { path: /properties/state, equals: Running } ]\n  healthTimeout: 3650d\n", 7, "not a duration from 1s to 30m")]
    [InlineData("  health: [ { path: properties/state, equals: Running } ]\n", 6, "not a JSON pointer")]
    [InlineData("  health: [ { path: /properties/state } ]\n", 6, "has no 'equals'")]
    [InlineData("  health: [ { path: /properties/state, equals: Running, within: 5m } ]\n", 6, "Unknown field 'within'")]
    [InlineData("  healthTimeout: 5m\n", 6, "no reconcile.health list")]
    public void Health_Mistakes_Are_Reported_At_Their_Line(string block, int line, string message)
    {
        var result = LoadSingle(Resource + block);

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(line, error.Location.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
