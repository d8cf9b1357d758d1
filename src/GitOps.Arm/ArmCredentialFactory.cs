using Azure.Core;
using Azure.Identity;

namespace GitOps.Arm;

/// <summary>
/// Picks the credential for ARM: an explicit token (<c>--arm-token</c>), else the <c>GITOPS_ARM_TOKEN</c> environment
/// variable, else <see cref="DefaultAzureCredential"/> (managed identity in Azure, environment variables, Azure CLI
/// and the rest of its chain on a workstation) against the cloud's authority.
/// </summary>
public static class ArmCredentialFactory
{
    /// <summary>The environment variable holding a static ARM bearer token.</summary>
    public const string TokenEnvironmentVariable = "GITOPS_ARM_TOKEN";

    /// <summary>Creates the credential.</summary>
    /// <param name="token">A static bearer token from the command line, or null.</param>
    /// <param name="cloud">The cloud whose authority <see cref="DefaultAzureCredential"/> uses; public when null.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    public static TokenCredential Create(string? token = null, ArmCloud? cloud = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        string? chosen = !string.IsNullOrWhiteSpace(token) ? token : getEnvironmentVariable(TokenEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            return new StaticTokenCredential(chosen);
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            AuthorityHost = (cloud ?? ArmCloud.Public).AuthorityHost,
        });
    }
}
