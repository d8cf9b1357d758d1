using GitOps.Azure;
using GitOps.Core.Ports;

namespace GitOps.Cli.Commands;

/// <summary>Builds the ARM client from the CLI's options, or says what is wrong with them.</summary>
internal static class ArmClientFactory
{
    public static IArmResourceClient? Create(string? endpoint, string? caCertificate, string? token, string cloudName, CliConsole console)
    {
        ArmCloud cloud;
        if (endpoint is not null)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                console.Error.WriteLine($"error: --arm-endpoint '{endpoint}' must be an absolute https:// URL (Azure SDKs send bearer tokens over TLS only).");
                return null;
            }

            cloud = ArmCloud.Custom(uri);
        }
        else
        {
            cloud = ArmCloud.Parse(cloudName);
        }

        string? pem = null;
        if (caCertificate is not null)
        {
            if (!File.Exists(caCertificate))
            {
                console.Error.WriteLine($"error: --arm-ca-cert file '{caCertificate}' does not exist.");
                return null;
            }

            pem = File.ReadAllText(caCertificate);
        }

        try
        {
            return new ArmResourceClient(
                ArmCredentialFactory.Create(token, cloud),
                new ArmResourceClientOptions { Cloud = cloud, CaCertificatePem = pem });
        }
        catch (ArgumentException error)
        {
            console.Error.WriteLine($"error: {error.Message}");
            return null;
        }
    }
}
