using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOps.ArmSimulator.Certificates;

/// <summary>Makes the simulator's TLS certificate: self-signed, valid for localhost and the loopback addresses.</summary>
internal static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string host, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=GitOps ARM simulator", key, HashAlgorithmName.SHA256);

        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (IPAddress.TryParse(host, out var address) && !IPAddress.IsLoopback(address))
        {
            names.AddIpAddress(address);
        }
        else if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && address is null)
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        // CA:TRUE so that OpenSSL-based clients (curl --cacert, Python) accept the file as a trust anchor.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        // Re-import through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
