namespace GitOps.Cli.Tests;

/// <summary><c>gitops validate</c> with the resource type catalogue: warnings by default, errors with <c>--strict</c> or <c>schema: strict</c>.</summary>
public sealed class ValidateStrictTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private const string Misspelt = """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg
        location: westeurope
        sku: { name: Standard_LRS }
        kind: StorageV2
        properties:
          minimumTlsVerison: TLS1_2
        """;

    [Fact]
    public async Task Catalogue_Finding_Is_A_Warning_And_Validate_Passes()
    {
        using var folder = new TempFolder().Write("storage.yaml", Misspelt);

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", Subscription);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("storage.yaml:8:3: warning GO1017", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'minimumTlsVersion'?", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_Makes_The_Finding_An_Error_And_Validate_Fails()
    {
        using var folder = new TempFolder().Write("storage.yaml", Misspelt);

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", Subscription, "--strict");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("storage.yaml:8:3: error GO1017", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_Strict_In_Gitops_Yaml_Makes_Findings_Errors_For_That_Environment()
    {
        using var folder = new TempFolder()
            .Write("gitops.yaml", $"""
                environments:
                  - name: prod
                    path: envs/prod
                    subscriptionId: {Subscription}
                    schema: strict
                  - name: dev
                    path: envs/dev
                    subscriptionId: {Subscription}
                """)
            .Write("envs/prod/storage.yaml", Misspelt)
            .Write("envs/dev/storage.yaml", Misspelt);

        var (code, output, error) = await CliRunner.RunAsync("validate", folder.Path);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("envs/prod/storage.yaml:8:3: error GO1017", error, StringComparison.Ordinal);
        Assert.Contains("envs/dev/storage.yaml:8:3: warning GO1017", error, StringComparison.Ordinal);
        Assert.Contains("dev: valid", output, StringComparison.Ordinal);
        Assert.Contains("prod: invalid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_Api_Version_Fails_Validate_Without_Strict()
    {
        using var folder = new TempFolder().Write("storage.yaml", Misspelt.Replace("2023-05-01", "2023-05-02", StringComparison.Ordinal));

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", Subscription);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("storage.yaml:1:1: error GO1016", error, StringComparison.Ordinal);
        Assert.Contains("2023-05-01", error, StringComparison.Ordinal);
    }
}
