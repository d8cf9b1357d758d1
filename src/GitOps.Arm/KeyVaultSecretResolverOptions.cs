using Azure.Core;
using GitOps.Core.Manifests;

namespace GitOps.Arm;

/// <summary>
/// Settings for <see cref="KeyVaultSecretResolver"/>. The inherited <see cref="ClientOptions.Retry"/> settings apply:
/// Azure.Core's own retry handles throttling and outages of the vault.
/// </summary>
public sealed class KeyVaultSecretResolverOptions : ClientOptions
{
    /// <summary>The Key Vault data-plane scope of the public cloud.</summary>
    public const string PublicCloudScope = "https://vault.azure.net/.default";

    /// <summary>The Key Vault REST api-version used for secret reads.</summary>
    public const string ApiVersion = "7.4";

    /// <summary>
    /// The token scope: <see cref="PublicCloudScope"/>; <c>https://vault.azure.cn/.default</c> in Azure China,
    /// <c>https://vault.usgovcloudapi.net/.default</c> in US Government.
    /// </summary>
    public string Scope { get; set; } = PublicCloudScope;

    /// <summary>
    /// The only hosts a token is sent to: the configured cloud's vaults and the operator's suffixes, the same list the
    /// manifest loader enforces. A URL outside it fails before any request, so no token can follow one elsewhere.
    /// </summary>
    public KeyVaultHostOptions AllowedHosts { get; set; } = KeyVaultHostOptions.PublicCloud;

    /// <summary>PEM of the CA to trust instead of the system store (a local test vault), as for ARM's <c>--arm-ca-cert</c>.</summary>
    public string? CaCertificatePem { get; set; }
}
