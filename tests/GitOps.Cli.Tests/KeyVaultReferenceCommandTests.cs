namespace GitOps.Cli.Tests;

/// <summary><c>gitops apply</c> with a <c>keyvault('…')</c> reference: the secret is read before anything is planned or written.</summary>
[Trait("Category", "Integration")]
public sealed class KeyVaultReferenceCommandTests
{
    [Fact]
    public async Task Apply_Fails_Before_Writing_When_A_Secret_Cannot_Be_Read_And_Names_It()
    {
        await using var arm = await SimulatedArm.StartAsync();

        // The simulator is no Key Vault: the read fails through the real resolver, pipeline and TLS trust.
        var url = new Uri(arm.Server.Endpoint, "secrets/sql-admin").AbsoluteUri;
        arm.Folder.Write("config/envs/it/sql.yaml", $$$"""
            type: Microsoft.Sql/servers@2023-08-01
            name: sql-cli
            resourceGroup: rg-cli
            location: westeurope
            properties:
              administratorLogin: sqladmin
              administratorLoginPassword: ${{ keyvault('{{{url}}}') }}
            """);

        var apply = await arm.RunAsync("apply", "--auto-approve");

        Assert.Equal(ExitCodes.Error, apply.ExitCode);
        Assert.Contains(url, apply.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(arm.Sim.Requests, r => r.Method != "GET");
    }
}
