using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOps.Arm.Tests.Infrastructure;

/// <summary>Two throwaway CAs, each with a server certificate for 127.0.0.1/localhost, made once per test run.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<Authority> TrustedLazy = new(() => Authority.Create("GitOps Test CA"));
    private static readonly Lazy<Authority> OtherLazy = new(() => Authority.Create("Some Other CA"));

    /// <summary>The CA the tests' clients trust.</summary>
    public static Authority Trusted => TrustedLazy.Value;

    /// <summary>A CA nobody trusts.</summary>
    public static Authority Other => OtherLazy.Value;

    internal sealed record Authority(string CaPem, X509Certificate2 ServerCertificate)
    {
        public static Authority Create(string name)
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            serverRequest.CertificateExtensions.Add(san.Build());
            serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            byte[] serial = RandomNumberGenerator.GetBytes(12);
            using X509Certificate2 issued = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
            using X509Certificate2 withKey = issued.CopyWithPrivateKey(serverKey);
            // A PKCS#12 round trip gives Kestrel a certificate whose key outlives the ephemeral handle.
            X509Certificate2 server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
            return new Authority(ca.ExportCertificatePem(), server);
        }
    }
}
