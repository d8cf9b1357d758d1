using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOps.Testing;

/// <summary>
/// A throwaway certificate authority for TLS tests, and the server certificates it issues: the one place tests make
/// certificates for a private CA (ARM and Key Vault test servers, git remotes, the trust checks themselves).
/// </summary>
public sealed class TestAuthority : IDisposable
{
    /// <summary>id-kp-serverAuth.</summary>
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>id-kp-clientAuth: a usage that does not make a TLS server.</summary>
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _certificate;

    private TestAuthority(X509Certificate2 certificate) => _certificate = certificate;

    /// <summary>The authority's certificate as PEM (what a CA bundle setting holds).</summary>
    public string Pem => _certificate.ExportCertificatePem();

    /// <summary>Creates a self-signed authority valid from a few minutes ago for a day.</summary>
    /// <param name="name">Its common name.</param>
    /// <returns>The authority.</returns>
    public static TestAuthority Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)));
    }

    /// <summary>
    /// Issues a server certificate with its private key (usable by Kestrel) for <paramref name="dnsNames"/> and, when
    /// <paramref name="loopback"/> is set, 127.0.0.1.
    /// </summary>
    /// <param name="dnsNames">The DNS names it is issued for; the first is also its common name.</param>
    /// <param name="loopback">Whether it also names 127.0.0.1.</param>
    /// <param name="usage">Its extended key usage (<see cref="ServerAuthentication"/> unless a test wants another).</param>
    /// <returns>The certificate; the caller disposes it.</returns>
    public X509Certificate2 IssueServer(IReadOnlyList<string> dnsNames, bool loopback = false, Oid? usage = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(loopback ? "127.0.0.1" : dnsNames[0])}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (loopback)
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage ?? ServerAuthentication], false));
        // Within the authority's own validity, which a certificate it issues may not outlast.
        var notAfter = new DateTimeOffset(_certificate.NotAfter.ToUniversalTime()).AddMinutes(-1);
        using var issued = request.Create(_certificate, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(12));
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PKCS#12 round trip gives Kestrel a certificate whose key outlives the ephemeral handle.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <inheritdoc />
    public void Dispose() => _certificate.Dispose();
}
