using GitOps.Core.Manifests;

namespace GitOps.Arm;

/// <summary>
/// How to reach ARM, as the CLI's options and the Functions app's settings both describe it, turned into a client in
/// one place so both hosts behave the same.
/// </summary>
public sealed record ArmConnectionSettings
{
    /// <summary><c>public</c>, <c>china</c> or <c>usgovernment</c>; ignored when <see cref="Endpoint"/> is set.</summary>
    public string Cloud { get; init; } = "public";

    /// <summary>A custom endpoint (https), e.g. the local ARM simulator.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Path of a PEM file with the CA to trust for <see cref="Endpoint"/>.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>A static bearer token; null: <c>GITOPS_ARM_TOKEN</c>, then <c>DefaultAzureCredential</c>.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Host suffixes, besides the cloud's own vaults, that <c>keyvault('…')</c> URLs may name: <c>SUFFIX</c> or
    /// <c>SUFFIX:PORT</c> (the ARM simulator's vault on <c>localhost:8443</c>, a private cloud's vault suffix).
    /// </summary>
    public IReadOnlyList<string> KeyVaultHostSuffixes { get; init; } = [];

    /// <summary>
    /// The Key Vault hosts of the configured cloud (the public cloud's for a custom endpoint) plus
    /// <see cref="KeyVaultHostSuffixes"/>: what the loader accepts in <c>keyvault('…')</c> and the resolver sends to.
    /// </summary>
    /// <exception cref="ArgumentException">The cloud or a suffix is invalid; the message says which and what to do.</exception>
    public KeyVaultHostOptions CreateKeyVaultHosts() => KeyVaultHostOptions.Create(VaultOf(ResolveCloud()).Suffix, KeyVaultHostSuffixes);

    /// <summary>Builds the client.</summary>
    /// <exception cref="ArgumentException">The settings are invalid; the message says which and what to do.</exception>
    public ArmResourceClient CreateClient(ArmResourceClientOptions? template = null)
    {
        var cloud = ResolveCloud();
        var options = template ?? new ArmResourceClientOptions();
        options.Cloud = cloud;
        options.CaCertificatePem = ReadCaCertificate();
        return new ArmResourceClient(ArmCredentialFactory.Create(Token, cloud), options);
    }

    /// <summary>
    /// Builds the Key Vault resolver for <c>keyvault('…')</c> references: the same identity and CA trust as ARM, and the
    /// vault scope of the cloud (the public cloud's for a custom endpoint).
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid; the message says which and what to do.</exception>
    public KeyVaultSecretResolver CreateSecretResolver()
    {
        var cloud = ResolveCloud();
        var options = new KeyVaultSecretResolverOptions
        {
            Scope = VaultOf(cloud).Scope,
            AllowedHosts = CreateKeyVaultHosts(),
            CaCertificatePem = ReadCaCertificate(),
        };
        return new KeyVaultSecretResolver(ArmCredentialFactory.Create(Token, cloud), options);
    }

    // A custom endpoint (Azure Stack Hub, the simulator) gets the public cloud's vaults; others come from the suffixes.
    private static (string Scope, string Suffix) VaultOf(ArmCloud cloud) => cloud.Name switch
    {
        "china" => ("https://vault.azure.cn/.default", KeyVaultHostOptions.ChinaCloudSuffix),
        "usgovernment" => ("https://vault.usgovcloudapi.net/.default", KeyVaultHostOptions.UsGovernmentCloudSuffix),
        _ => (KeyVaultSecretResolverOptions.PublicCloudScope, KeyVaultHostOptions.PublicCloudSuffix),
    };

    private ArmCloud ResolveCloud()
    {
        ArmCloud cloud;
        if (Endpoint is not null)
        {
            if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"ARM endpoint '{Endpoint}' must be an absolute https:// URL (Azure SDKs send bearer tokens over TLS only).");
            }

            cloud = ArmCloud.Custom(uri);
        }
        else
        {
            cloud = ArmCloud.Parse(Cloud);
        }

        return cloud;
    }

    private string? ReadCaCertificate()
    {
        string? pem = null;
        if (CaCertificatePath is not null)
        {
            if (!File.Exists(CaCertificatePath))
            {
                throw new ArgumentException($"CA certificate file '{CaCertificatePath}' does not exist.");
            }

            pem = File.ReadAllText(CaCertificatePath);
        }

        return pem;
    }
}
