using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace GitOps.Core.Manifests;

/// <summary>
/// One entry of <see cref="KeyVaultHostOptions"/>: a DNS suffix (a host ends with it at a label boundary, or is it)
/// and the one port a Key Vault token may be sent to on those hosts.
/// </summary>
/// <param name="Suffix">Lower-case DNS name without a leading or trailing dot, e.g. <c>vault.azure.net</c> or <c>localhost</c>.</param>
/// <param name="Port">The port; 443 unless the operator's entry names another.</param>
public sealed partial record KeyVaultHostSuffix(string Suffix, int Port)
{
    /// <summary>The HTTPS port, the only one a cloud's vaults use.</summary>
    public const int HttpsPort = 443;

    /// <summary>True when <paramref name="host"/> is the suffix or ends with <c>.</c> followed by it, on the entry's port.</summary>
    /// <param name="host">A lower-case DNS host without a trailing dot (as <see cref="KeyVaultHostOptions.Check"/> leaves it).</param>
    /// <param name="port">The port the URL names (443 when it names none).</param>
    public bool Matches(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);

        // The dot boundary matters: "evilvault.azure.net" ends with the text "vault.azure.net" but is someone else's.
        return port == Port
            && (host.Equals(Suffix, StringComparison.Ordinal) || host.EndsWith("." + Suffix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Reads an operator's entry: <c>SUFFIX</c> or <c>SUFFIX:PORT</c> (e.g. <c>localhost:8443</c>); a leading <c>*.</c> or
    /// <c>.</c> is accepted and means the same. IP addresses and non-DNS text are refused.
    /// </summary>
    /// <exception cref="ArgumentException">The entry is not a DNS suffix with an optional port; the message says why.</exception>
    public static KeyVaultHostSuffix Parse(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = entry.Trim().ToLowerInvariant();
        if (text.StartsWith("*.", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        else if (text.StartsWith('.'))
        {
            text = text[1..];
        }

        if (text.StartsWith('['))
        {
            throw IpAddress(entry);
        }

        var port = HttpsPort;
        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"Key Vault host suffix '{entry}' has an invalid port: write SUFFIX or SUFFIX:PORT, e.g. localhost:8443.", nameof(entry));
            }

            text = text[..colon];
        }

        if (IPAddress.TryParse(text, out _))
        {
            throw IpAddress(entry);
        }

        if (!SuffixPattern().IsMatch(text) || text.Split('.').Any(l => l.StartsWith("xn--", StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Key Vault host suffix '{entry}' is not a DNS name of ASCII letters, digits, '-' and dots (e.g. vault.contoso.internal).", nameof(entry));
        }

        return new KeyVaultHostSuffix(text, port);
    }

    private static ArgumentException IpAddress(string entry) =>
        new($"Key Vault host suffix '{entry}' is an IP address: give a DNS name (e.g. localhost), so certificates and the allow-list match names.", nameof(entry));

    /// <summary>The entry as an operator writes it: <c>vault.azure.net</c>, <c>localhost:8443</c>.</summary>
    public override string ToString() => Port == HttpsPort ? Suffix : $"{Suffix}:{Port.ToString(CultureInfo.InvariantCulture)}";

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex SuffixPattern();
}
