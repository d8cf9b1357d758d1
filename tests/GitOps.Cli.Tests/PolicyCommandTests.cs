namespace GitOps.Cli.Tests;

/// <summary>gitops.policy.yaml in validate and plan: deny blocks with exit 1, warn is printed and does not.</summary>
public sealed class PolicyCommandTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private const string Storage = """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg-app
        location: eastus
        sku: { name: Standard_LRS }
        kind: StorageV2
        properties:
          minimumTlsVersion: TLS1_2
        """;

    private const string DenyEastUs = """
        rules:
          - name: eu-regions
            allowedLocations: [ westeurope, northeurope ]
        """;

    private const string WarnOnLrs = """
        rules:
          - name: zone-redundant
            severity: warn
            allowedSkus: { "Microsoft.Storage/storageAccounts": [ Standard_ZRS ] }
        """;

    private static TempFolder Repository(string policy) => new TempFolder()
        .Write("gitops.policy.yaml", policy)
        .Write("storage.yaml", Storage)
        .Write("snapshot/.keep", string.Empty);

    [Fact]
    public async Task Validate_Exits_One_On_A_Deny_Rule_Naming_Resource_Rule_And_Both_Lines()
    {
        using var folder = Repository(DenyEastUs);

        var (code, output, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", Subscription);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("default: denied by policy, 1 violation(s) (1 resources)", output, StringComparison.Ordinal);
        Assert.Contains(
            $"{folder.Path}/storage.yaml:4:1: error GO2001: Microsoft.Storage/storageAccounts 'stapp01' breaks policy rule 'eu-regions' (gitops.policy.yaml:2:5): location 'eastus' is not allowed",
            error,
            StringComparison.Ordinal);
        Assert.Contains("1 error(s), 0 warning(s).", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Prints_Warn_Rules_And_Exits_Zero()
    {
        using var folder = Repository(WarnOnLrs);

        var (code, output, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", Subscription);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("policy: 1 rule(s) from gitops.policy.yaml", output, StringComparison.Ordinal);
        Assert.Contains("default: valid (1 resources)", output, StringComparison.Ordinal);
        Assert.Contains("storage.yaml:5:8: warning GO2002:", error, StringComparison.Ordinal);
        Assert.Contains("1 warning(s).", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Reports_A_Malformed_Policy_File_With_Its_Position()
    {
        using var folder = Repository("""
            rules:
              - name: eu-regions
                alowedLocations: [ westeurope ]
            """);

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", Subscription);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("gitops.policy.yaml:3:5: error GO1002: Unknown field 'alowedLocations' in a policy rule; did you mean 'allowedLocations'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_Refuses_When_A_Deny_Rule_Matches()
    {
        using var folder = Repository(DenyEastUs);

        var (code, output, error) = await CliRunner.RunAsync(
            "plan", folder.Path, "--subscription", Subscription, "--live-snapshot", Path.Combine(folder.Path, "snapshot"));

        Assert.Equal(ExitCodes.Error, code);
        Assert.Empty(output);
        Assert.Contains("error GO2001", error, StringComparison.Ordinal);
        Assert.Contains("1 violation(s) of deny rules in gitops.policy.yaml; nothing was planned or applied", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_Prints_Warnings_And_Plans()
    {
        using var folder = Repository(WarnOnLrs);

        var (code, output, error) = await CliRunner.RunAsync(
            "plan", folder.Path, "--subscription", Subscription, "--live-snapshot", Path.Combine(folder.Path, "snapshot"), "--output", "json");

        Assert.Equal(ExitCodes.ChangesPending, code);
        Assert.Contains("warning GO2002", error, StringComparison.Ordinal);
        Assert.Contains("'zone-redundant'", error, StringComparison.Ordinal);
        Assert.Contains("\"create\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("GO2002", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_Refuses_A_Denied_Environment_Before_Reading_Azure()
    {
        using var folder = Repository(DenyEastUs);

        // No ARM endpoint is reachable at this address: the refusal must come before any ARM call.
        var (code, _, error) = await CliRunner.RunWithInputAsync(
            "yes\n", "apply", folder.Path, "--subscription", Subscription, "--arm-endpoint", "https://127.0.0.1:1", "--state-dir", Path.Combine(folder.Path, ".state"));

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("error GO2001", error, StringComparison.Ordinal);
        Assert.Contains("nothing was planned or applied", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".state")));
    }

    [Fact]
    public async Task Validate_Warns_About_A_Rule_For_An_Undeclared_Environment()
    {
        using var folder = Repository("""
            rules:
              - name: eu-regions
                appliesTo: { environments: [ prod ] }
                allowedLocations: [ westeurope ]
            """);

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", Subscription);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("gitops.policy.yaml:2:5: warning GO1012: Policy rule 'eu-regions' applies to environment 'prod'", error, StringComparison.Ordinal);
        Assert.Contains("1 warning(s).", error, StringComparison.Ordinal);
    }
}
