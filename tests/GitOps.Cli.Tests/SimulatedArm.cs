using GitOps.ArmSimulator;

namespace GitOps.Cli.Tests;

/// <summary>
/// An ARM simulator for one CLI test, with a config folder (one environment, three resources), the simulator's
/// certificate written as PEM (as <c>gitops armsim --cert-out</c> does), a state folder, and the ARM options every
/// command needs.
/// </summary>
internal sealed class SimulatedArm : IAsyncDisposable
{
    public const string Subscription = "00000000-0000-0000-0000-0000000000c1";
    public const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-cli";
    public const string StorageId = $"{GroupId}/providers/Microsoft.Storage/storageAccounts/stcli01";
    public const string NsgId = $"{GroupId}/providers/Microsoft.Network/networkSecurityGroups/nsg-cli";
    public const string Token = "cli-test-token";

    public static readonly string[] Ids = [GroupId, StorageId, NsgId];

    private SimulatedArm(ArmSimulatorServer server, TempFolder folder)
    {
        Server = server;
        Folder = folder;
    }

    public ArmSimulatorServer Server { get; }

    public ArmSimulatorState Sim => Server.State;

    public TempFolder Folder { get; }

    public string ConfigPath => Path.Combine(Folder.Path, "config");

    public string StateDirectory => Path.Combine(Folder.Path, "state");

    public string CertificatePath => Path.Combine(Folder.Path, "armsim.pem");

    public string StateFile => Path.Combine(StateDirectory, "it.json");

    public static async Task<SimulatedArm> StartAsync()
    {
        var folder = new TempFolder()
            .Write("config/gitops.yaml", $"""
                version: 1
                environments:
                  - name: it
                    path: envs/it
                    subscriptionId: {Subscription}
                """)
            .Write("config/envs/it/resource-group.yaml", """
                type: Microsoft.Resources/resourceGroups@2024-03-01
                name: rg-cli
                location: westeurope
                tags: { owner: platform-team }
                """)
            .Write("config/envs/it/storage.yaml", """
                type: Microsoft.Storage/storageAccounts@2023-05-01
                name: stcli01
                resourceGroup: rg-cli
                location: West Europe
                sku: { name: Standard_LRS }
                kind: StorageV2
                properties:
                  minimumTlsVersion: TLS1_2
                  allowBlobPublicAccess: false
                """)
            .Write("config/envs/it/network.yaml", """
                type: Microsoft.Network/networkSecurityGroups@2024-01-01
                name: nsg-cli
                resourceGroup: rg-cli
                location: westeurope
                properties:
                  securityRules:
                    - name: allow-https
                      properties:
                        priority: 100
                        direction: Inbound
                        access: Allow
                        protocol: Tcp
                        sourceAddressPrefix: '*'
                        sourcePortRange: '*'
                        destinationAddressPrefix: VirtualNetwork
                        destinationPortRange: '443'
                """);
        var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions
        {
            CertificateOutputPath = Path.Combine(folder.Path, "armsim.pem"),
        });
        return new SimulatedArm(server, folder);
    }

    /// <summary>Runs a command against the config folder with the ARM and state options appended.</summary>
    public Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, ConfigPath, .. ArmArguments]);

    public Task<(int ExitCode, string Out, string Error)> RunWithInputAsync(string? input, params string[] args) =>
        CliRunner.RunWithInputAsync(input, [.. args, ConfigPath, .. ArmArguments]);

    private string[] ArmArguments =>
        ["--arm-endpoint", Server.Endpoint.ToString(), "--arm-ca-cert", CertificatePath, "--arm-token", Token, "--state-dir", StateDirectory];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}
