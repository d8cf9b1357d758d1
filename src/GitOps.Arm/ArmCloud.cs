using Azure.Identity;
using Azure.ResourceManager;

namespace GitOps.Arm;

/// <summary>
/// Which Azure Resource Manager to talk to: its endpoint, the token audience (the scope is <c>{audience}/.default</c>)
/// and the Entra ID authority that issues tokens for it.
/// </summary>
public sealed class ArmCloud
{
    private ArmCloud(string name, Uri endpoint, string audience, Uri authorityHost)
    {
        Name = name;
        Endpoint = endpoint;
        Audience = audience;
        AuthorityHost = authorityHost;
    }

    /// <summary>Azure public cloud (<c>https://management.azure.com</c>).</summary>
    public static ArmCloud Public { get; } = FromEnvironment("public", ArmEnvironment.AzurePublicCloud, AzureAuthorityHosts.AzurePublicCloud);

    /// <summary>Azure operated by 21Vianet (<c>https://management.chinacloudapi.cn</c>).</summary>
    public static ArmCloud China { get; } = FromEnvironment("china", ArmEnvironment.AzureChina, AzureAuthorityHosts.AzureChina);

    /// <summary>Azure US Government (<c>https://management.usgovcloudapi.net</c>).</summary>
    public static ArmCloud UsGovernment { get; } = FromEnvironment("usgovernment", ArmEnvironment.AzureGovernment, AzureAuthorityHosts.AzureGovernment);

    /// <summary>A short name: <c>public</c>, <c>china</c>, <c>usgovernment</c> or <c>custom</c>.</summary>
    public string Name { get; }

    /// <summary>The ARM endpoint requests go to, e.g. <c>https://management.azure.com/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The token audience, e.g. <c>https://management.azure.com/</c>.</summary>
    public string Audience { get; }

    /// <summary>The OAuth scope requested from the credential: the audience followed by <c>/.default</c>.</summary>
    public string Scope => Audience.TrimEnd('/') + "/.default";

    /// <summary>The Entra ID authority host for this cloud (used by <see cref="ArmCredentialFactory"/>).</summary>
    public Uri AuthorityHost { get; }

    /// <summary>
    /// A custom ARM endpoint (Azure Stack Hub, a local ARM simulator). The endpoint must be HTTPS: Azure.Core never sends
    /// a bearer token over plain HTTP.
    /// </summary>
    /// <param name="endpoint">The absolute HTTPS endpoint, e.g. <c>https://127.0.0.1:8443/</c>.</param>
    /// <param name="audience">The token audience; defaults to the public cloud's, which local simulators accept.</param>
    /// <param name="authorityHost">The Entra ID authority; defaults to the public cloud's.</param>
    public static ArmCloud Custom(Uri endpoint, string? audience = null, Uri? authorityHost = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException(
                $"The ARM endpoint '{endpoint}' must be an absolute https:// URL: Azure.Core refuses to send bearer tokens over plain HTTP. "
                + "Serve the endpoint over TLS and pass its CA certificate (--arm-ca-cert).",
                nameof(endpoint));
        }

        if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
        {
            throw new ArgumentException($"The ARM endpoint '{endpoint}' must not have a query or fragment.", nameof(endpoint));
        }

        if (audience is not null && string.IsNullOrWhiteSpace(audience))
        {
            throw new ArgumentException("The token audience must not be empty.", nameof(audience));
        }

        return new ArmCloud("custom", endpoint, audience ?? Public.Audience, authorityHost ?? Public.AuthorityHost);
    }

    /// <summary>
    /// Resolves a cloud name as the CLI and configuration spell it: <c>public</c>/<c>AzureCloud</c>,
    /// <c>china</c>/<c>AzureChinaCloud</c>, <c>usgovernment</c>/<c>AzureUSGovernment</c> (case-insensitive).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of those.</exception>
    public static ArmCloud Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "PUBLIC" or "AZURECLOUD" or "AZUREPUBLICCLOUD" => Public,
            "CHINA" or "AZURECHINACLOUD" => China,
            "USGOVERNMENT" or "USGOV" or "AZUREUSGOVERNMENT" => UsGovernment,
            _ => throw new ArgumentException(
                $"Unknown Azure cloud '{name}'. Use public, china or usgovernment, or give a custom endpoint (--arm-endpoint URL).",
                nameof(name)),
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Endpoint})";

    private static ArmCloud FromEnvironment(string name, ArmEnvironment environment, Uri authorityHost) =>
        new(name, environment.Endpoint, environment.Audience, authorityHost);
}
