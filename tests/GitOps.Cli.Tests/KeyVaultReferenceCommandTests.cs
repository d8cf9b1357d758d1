namespace GitOps.Cli.Tests;

/// <summary>
/// <c>gitops validate/plan/apply</c> with a <c>keyvault('…')</c> reference: the secret is read before anything is planned
/// or written, and only from a vault host of the chosen cloud or a <c>--keyvault-host-suffix</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KeyVaultReferenceCommandTests
{
    private static string SqlServer(string url) => $$$"""
        type: Microsoft.Sql/servers@2023-08-01
        name: sql-cli
        resourceGroup: rg-cli
        location: westeurope
        properties:
          administratorLogin: sqladmin
          administratorLoginPassword: ${{ keyvault('{{{url}}}') }}
        """;

    // The simulator listens on 127.0.0.1; a vault URL names it by DNS name, as an IP literal is never a vault host.
    private static string OnSimulator(SimulatedArm arm, string path) =>
        $"https://localhost:{arm.Server.Endpoint.Port}/{path}";

    [Fact]
    public async Task Apply_Fails_Before_Writing_When_A_Secret_Cannot_Be_Read_And_Names_It()
    {
        await using var arm = await SimulatedArm.StartAsync();

        // The simulator is no Key Vault: the read fails through the real resolver, pipeline and TLS trust.
        var url = OnSimulator(arm, "secrets/sql-admin");
        arm.Folder.Write("config/envs/it/sql.yaml", SqlServer(url));

        var apply = await arm.RunAsync("apply", "--auto-approve", "--keyvault-host-suffix", $"localhost:{arm.Server.Endpoint.Port}");

        Assert.Equal(ExitCodes.Error, apply.ExitCode);
        Assert.Contains(url, apply.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("GO1014", apply.Error, StringComparison.Ordinal);
        Assert.Contains(arm.Sim.Requests, r => r.Path.Contains("/secrets/sql-admin", StringComparison.Ordinal));
        Assert.DoesNotContain(arm.Sim.Requests, r => r.Method != "GET");
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("apply", "--auto-approve")]
    public async Task Plan_And_Apply_Refuse_A_Secret_On_A_Host_Outside_The_Cloud_Before_Any_Request(params string[] command)
    {
        await using var arm = await SimulatedArm.StartAsync();

        // The simulator stands in for an attacker's server: it records every request it gets.
        var url = OnSimulator(arm, "secrets/sql-admin");
        arm.Folder.Write("config/envs/it/sql.yaml", SqlServer(url));

        var plan = await arm.RunAsync(command);

        Assert.Equal(ExitCodes.Error, plan.ExitCode);
        Assert.Contains("sql.yaml:7:", plan.Error, StringComparison.Ordinal);
        Assert.Contains("error GO1014", plan.Error, StringComparison.Ordinal);
        Assert.Contains(url, plan.Error, StringComparison.Ordinal);
        Assert.Empty(arm.Sim.Requests);
    }

    [Fact]
    public async Task Validate_Refuses_A_Secret_Outside_The_Chosen_Cloud_With_File_And_Line()
    {
        using var folder = new TempFolder().Write("sql.yaml", SqlServer("https://kv-app.vault.azure.net/secrets/sql-admin"));

        var publicCloud = await CliRunner.RunAsync("validate", folder.Path, "--subscription", "00000000-0000-0000-0000-000000000001");
        var china = await CliRunner.RunAsync("validate", folder.Path, "--subscription", "00000000-0000-0000-0000-000000000001", "--cloud", "china");

        Assert.Equal(ExitCodes.Success, publicCloud.ExitCode);
        Assert.Equal(ExitCodes.Error, china.ExitCode);
        Assert.Contains("sql.yaml:7:", china.Error, StringComparison.Ordinal);
        Assert.Contains("error GO1014", china.Error, StringComparison.Ordinal);
        Assert.Contains("vault.azure.cn", china.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Ip_Address_As_Key_Vault_Host_Suffix_Is_Refused_By_Name()
    {
        using var folder = new TempFolder().Write("sql.yaml", SqlServer("https://kv-app.vault.azure.net/secrets/sql-admin"));

        var (code, _, error) = await CliRunner.RunAsync("validate", folder.Path, "--subscription", "00000000-0000-0000-0000-000000000001", "--keyvault-host-suffix", "10.0.0.4:443");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("'10.0.0.4:443'", error, StringComparison.Ordinal);
        Assert.Contains("IP address", error, StringComparison.Ordinal);
    }
}
