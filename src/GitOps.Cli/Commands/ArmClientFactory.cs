using GitOps.Azure;
using GitOps.Core.Ports;

namespace GitOps.Cli.Commands;

/// <summary>Builds the ARM client from the CLI's options, or says what is wrong with them.</summary>
internal static class ArmClientFactory
{
    public static IArmResourceClient? Create(string? endpoint, string? caCertificate, string? token, string cloudName, CliConsole console)
    {
        try
        {
            return new ArmConnectionSettings { Cloud = cloudName, Endpoint = endpoint, CaCertificatePath = caCertificate, Token = token }.CreateClient();
        }
        catch (ArgumentException error)
        {
            console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }

    /// <summary>The Key Vault resolver for <c>keyvault('…')</c>: the same identity, cloud and CA as ARM.</summary>
    public static ISecretResolver? CreateSecretResolver(string? endpoint, string? caCertificate, string? token, string cloudName, CliConsole console)
    {
        try
        {
            return new ArmConnectionSettings { Cloud = cloudName, Endpoint = endpoint, CaCertificatePath = caCertificate, Token = token }.CreateSecretResolver();
        }
        catch (ArgumentException error)
        {
            console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }
}
