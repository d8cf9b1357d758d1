namespace GitOps.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_Examples_Exits_Zero_And_Lists_Every_Environment()
    {
        var (code, output, error) = await CliRunner.RunAsync("validate", CliRunner.Examples);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("dev: valid", output, StringComparison.Ordinal);
        Assert.Contains("prod: valid", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Reports_All_Errors_With_File_Line_And_Column_And_Exits_One()
    {
        using var folder = new TempFolder()
            .Write("storage.yaml", """
                type: Microsoft.Storage/storageAccounts@2023-05-01
                name: Not_Valid_Name
                resourceGroup: rg
                location: westeurope
                propertes:
                  minimumTlsVersion: TLS1_2
                """);

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", "00000000-0000-0000-0000-000000000001");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("storage.yaml:5:1: error GO1002", error, StringComparison.Ordinal);
        Assert.Contains("properties", error, StringComparison.Ordinal); // the did-you-mean hint
        Assert.Contains("storage.yaml:2:", error, StringComparison.Ordinal);
        Assert.Contains("GO1005", error, StringComparison.Ordinal);
        Assert.Contains("2 error(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Unknown_Environment_Names_The_Known_Ones()
    {
        var (code, _, error) = await CliRunner.RunAsync("validate", CliRunner.Examples, "--env", "staging");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("GO1012", error, StringComparison.Ordinal);
        Assert.Contains("dev, prod", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Refuses_A_Symlinked_Manifest_And_Names_It()
    {
        using var outside = new TempFolder().Write("secret.yaml", "type: x\n");
        using var folder = new TempFolder().Write("storage.yaml", "type: Microsoft.Storage/storageAccounts@2023-05-01\n");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "stolen.yaml"), Path.Combine(outside.Path, "secret.yaml"));

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", "00000000-0000-0000-0000-000000000001");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("'stolen.yaml'", error, StringComparison.Ordinal);
        Assert.Contains("symbolic link", error, StringComparison.Ordinal);
        Assert.DoesNotContain("type: x", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Missing_Folder_Exits_One()
    {
        var (code, _, error) = await CliRunner.RunAsync("validate", "/definitely/not/here");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Implicit_Environment_Takes_Subscription_And_Variables_From_Options()
    {
        using var folder = new TempFolder().Write("rg.yaml", """
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-${{ vars.app }}
            location: ${{ vars.region }}
            """);

        var missing = await CliRunner.RunAsync("validate", folder.Path, "--subscription", "00000000-0000-0000-0000-000000000001");
        var given = await CliRunner.RunAsync("validate", folder.Path, "--subscription", "00000000-0000-0000-0000-000000000001", "--var", "app=shop", "--var", "region=westeurope");

        Assert.Equal(ExitCodes.Error, missing.ExitCode);
        Assert.Contains("GO1007", missing.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, given.ExitCode);
        Assert.Contains("default: valid (1 resources)", given.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_Var_Option_Is_Refused()
    {
        var (code, _, error) = await CliRunner.RunAsync("validate", CliRunner.Examples, "--var", "novalue");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("NAME=VALUE", error, StringComparison.Ordinal);
    }
}
