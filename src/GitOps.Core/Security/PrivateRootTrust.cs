using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOps.Core.Security;

/// <summary>
/// Trust in exactly the certificate authorities of a PEM bundle (a local simulator, a private git server, Azure Stack
/// Hub) instead of the system store: the one chain check the ARM, Key Vault and git adapters share. Validation is not
/// switched off: the server's certificate must chain to one of these roots, be fit for TLS server use and, when a host
/// is given, name it.
/// </summary>
public sealed class PrivateRootTrust
{
    // id-kp-serverAuth: a certificate issued for e-mail or code signing by the same private CA is no TLS server.
    private static readonly Oid s_serverAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _roots;

    private PrivateRootTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Reads the certificates of a PEM bundle.</summary>
    /// <param name="pem">The bundle's text.</param>
    /// <param name="source">What the bundle is, for error messages, e.g. <c>The ARM CA certificate (--arm-ca-cert)</c>.</param>
    /// <returns>The trust.</returns>
    /// <exception cref="ArgumentException">The text is not PEM or holds no certificate; the message starts with <paramref name="source"/>.</exception>
    public static PrivateRootTrust FromPem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            // No parameter name: the message is shown to users as it is, and names the setting through the source.
            throw new ArgumentException($"{source} is not valid PEM: {ex.Message}", ex);
        }

        if (roots.Count == 0)
        {
            throw new ArgumentException($"{source} holds no '-----BEGIN CERTIFICATE-----' block.");
        }

        return new PrivateRootTrust(roots);
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of the bundle's roots (through
    /// <paramref name="intermediates"/> if needed), is valid now for TLS server authentication and, when
    /// <paramref name="host"/> is given, is issued for that host.
    /// </summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <param name="host">The host name the client asked for; null when the caller checks the name itself.</param>
    /// <param name="intermediates">Certificates the server presented besides its own.</param>
    /// <returns>Whether to trust the server.</returns>
    public bool IsTrusted(X509Certificate certificate, string? host, IEnumerable<X509Certificate2>? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // A copy of our own: the caller disposes what it passed, whatever its runtime type.
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        // Private CAs publish no revocation lists; online checks would fail closed on every call.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(s_serverAuthentication);
        foreach (var intermediate in intermediates ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        return chain.Build(server) && (host is null || server.MatchesHostname(host));
    }
}
