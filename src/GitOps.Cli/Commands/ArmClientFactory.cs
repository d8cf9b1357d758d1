using GitOps.Arm;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Cli.Commands;

/// <summary>Builds the ARM client, the Key Vault resolver and the allowed vault hosts from the CLI's options, or says what is wrong with them.</summary>
internal static class ArmClientFactory
{
    public static IArmResourceClient? Create(ArmConnectionSettings settings, CliConsole console) =>
        Build<IArmResourceClient>(() => settings.CreateClient(), console);

    /// <summary>The Key Vault resolver for <c>keyvault('…')</c>: the same identity, cloud and CA as ARM.</summary>
    public static ISecretResolver? CreateSecretResolver(ArmConnectionSettings settings, CliConsole console) =>
        Build(settings.CreateSecretResolver, console);

    /// <summary>The hosts <c>keyvault('…')</c> may name: the cloud's vaults and <c>--keyvault-host-suffix</c>.</summary>
    public static KeyVaultHostOptions? CreateKeyVaultHosts(ArmConnectionSettings settings, CliConsole console) =>
        Build(settings.CreateKeyVaultHosts, console);

    private static T? Build<T>(Func<T> create, CliConsole console)
        where T : class
    {
        try
        {
            return create();
        }
        catch (ArgumentException error)
        {
            console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }
}
