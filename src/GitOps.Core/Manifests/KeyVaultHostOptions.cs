using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace GitOps.Core.Manifests;

/// <summary>
/// Which hosts a <c>keyvault('…')</c> URL may name: the Key Vault DNS suffix of the configured cloud plus suffixes an
/// operator adds (the ARM simulator's vault on localhost, a private cloud). A secret is read with the reconciler's
/// identity, so whatever host a URL names receives a Key Vault token: repository content must never choose one outside
/// this list. The loader refuses such URLs (GO1014) and the resolver refuses to send to them.
/// </summary>
public sealed partial class KeyVaultHostOptions
{
    /// <summary>The Key Vault DNS suffix of the Azure public cloud.</summary>
    public const string PublicCloudSuffix = "vault.azure.net";

    /// <summary>The Key Vault DNS suffix of Azure operated by 21Vianet (China).</summary>
    public const string ChinaCloudSuffix = "vault.azure.cn";

    /// <summary>The Key Vault DNS suffix of Azure US Government.</summary>
    public const string UsGovernmentCloudSuffix = "vault.usgovcloudapi.net";

    private const string HttpsPrefix = "https://";

    private KeyVaultHostOptions(IReadOnlyList<KeyVaultHostSuffix> suffixes) => Suffixes = suffixes;

    /// <summary>Vaults of the Azure public cloud only: the default.</summary>
    public static KeyVaultHostOptions PublicCloud { get; } = Create(PublicCloudSuffix);

    /// <summary>The allowed suffixes, the cloud's first.</summary>
    public IReadOnlyList<KeyVaultHostSuffix> Suffixes { get; }

    /// <summary>The cloud's suffix (port 443) and the operator's entries (<c>SUFFIX</c> or <c>SUFFIX:PORT</c>).</summary>
    /// <param name="cloudSuffix">One of <see cref="PublicCloudSuffix"/>, <see cref="ChinaCloudSuffix"/>, <see cref="UsGovernmentCloudSuffix"/>.</param>
    /// <param name="additionalSuffixes">Entries an operator configured; blanks are ignored.</param>
    /// <exception cref="ArgumentException">An entry is not a DNS suffix with an optional port; the message names it.</exception>
    public static KeyVaultHostOptions Create(string cloudSuffix, IEnumerable<string>? additionalSuffixes = null)
    {
        ArgumentNullException.ThrowIfNull(cloudSuffix);
        var suffixes = new List<KeyVaultHostSuffix> { KeyVaultHostSuffix.Parse(cloudSuffix) };
        foreach (var entry in additionalSuffixes ?? [])
        {
            if (!string.IsNullOrWhiteSpace(entry) && KeyVaultHostSuffix.Parse(entry) is var suffix && !suffixes.Contains(suffix))
            {
                suffixes.Add(suffix);
            }
        }

        return new KeyVaultHostOptions(suffixes);
    }

    /// <summary>
    /// Null when <paramref name="url"/> is <c>https://HOST[:PORT]/secrets/NAME[/VERSION]</c> on an allowed host and port;
    /// otherwise what is wrong, phrased to follow "it" (e.g. "names host evil.example, …").
    /// </summary>
    /// <remarks>
    /// The text is checked as written rather than as <see cref="Uri"/> normalizes it (<c>/secrets/a/../b</c>, a trailing
    /// dot, percent-escapes and Unicode hosts all normalize into something else), then cross-checked against
    /// <see cref="Uri"/>, the parser the HTTP stack uses, so the two cannot disagree about the host.
    /// </remarks>
    public string? Check(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Any(c => c <= ' ' || c > '~'))
        {
            return "contains spaces, control or non-ASCII characters (internationalized hosts are not Key Vault hosts)";
        }

        if (!url.StartsWith(HttpsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return "is not an https:// URL (tokens are sent over TLS only)";
        }

        if (url.IndexOfAny(['?', '#', '%', '\\']) >= 0)
        {
            return "has a query, a fragment, a '%' escape or a '\\'";
        }

        var rest = url[HttpsPrefix.Length..];
        var slash = rest.IndexOf('/');
        var authority = (slash < 0 ? rest : rest[..slash]).ToLowerInvariant();
        var path = slash < 0 ? string.Empty : rest[slash..];
        if (authority.Contains('@'))
        {
            return "carries user info (user@host)";
        }

        if (authority.StartsWith('['))
        {
            return "names an IP address; name the vault by its DNS host";
        }

        var host = authority;
        var port = KeyVaultHostSuffix.HttpsPort;
        var colon = authority.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return "has an invalid port";
            }

            host = authority[..colon];
        }

        if (host.EndsWith('.'))
        {
            return $"ends its host '{host}' with a dot";
        }

        var labels = host.Split('.');
        if (IPAddress.TryParse(host, out _) || labels[^1].All(char.IsAsciiDigit) || labels[^1].StartsWith("0x", StringComparison.Ordinal))
        {
            return "names an IP address; name the vault by its DNS host";
        }

        if (!labels.All(l => LabelPattern().IsMatch(l)))
        {
            return $"has a host '{host}' that is not a DNS name";
        }

        if (labels.Any(l => l.StartsWith("xn--", StringComparison.Ordinal)))
        {
            return $"has a punycode (internationalized) host '{host}'";
        }

        if (!PathPattern().IsMatch(path))
        {
            return "has a path other than /secrets/NAME or /secrets/NAME/VERSION";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || !uri.IdnHost.Equals(host, StringComparison.Ordinal)
            || uri.Port != port
            || !uri.AbsolutePath.Equals(path, StringComparison.Ordinal))
        {
            return "is read differently by the HTTP stack than it is written";
        }

        if (!Suffixes.Any(s => s.Matches(host, port)))
        {
            var shown = port == KeyVaultHostSuffix.HttpsPort ? host : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
            return $"names {shown}, which is not a Key Vault host of the configured cloud (allowed host suffixes: {this})";
        }

        return null;
    }

    /// <summary>The allowed suffixes as an operator writes them: <c>vault.azure.net, localhost:8443</c>.</summary>
    public override string ToString() => string.Join(", ", Suffixes);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    // Key Vault secret names are 1-127 letters, digits and '-'; versions are 32 hex digits (letters and digits here).
    [GeneratedRegex("^/secrets/[A-Za-z0-9-]{1,127}(/[A-Za-z0-9]{1,64})?$")]
    private static partial Regex PathPattern();
}
