using GitOps.Core.Ports;

namespace GitOps.Cli.Commands;

/// <summary>Builds the ARM client from the CLI's options.</summary>
internal static class ArmClientFactory
{
    public static IArmResourceClient? Create(string? endpoint, string? caCertificate, string? token, string cloud, CliConsole console)
    {
        console.Error.WriteLine("error: the ARM client is not wired yet.");
        return null;
    }
}
