using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace GitOps.Arm;

/// <summary>
/// Trusts exactly the CA certificates given as PEM for the ARM endpoint (a local simulator, Azure Stack Hub) instead of
/// the system store. Validation is not switched off: the chain must build to one of these roots and the host name
/// must match.
/// </summary>
internal sealed class CustomRootTrust
{
    private readonly X509Certificate2Collection _roots;

    private CustomRootTrust(X509Certificate2Collection roots) => _roots = roots;

    public static CustomRootTrust FromPem(string pem)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException(
                $"The ARM CA certificate (--arm-ca-cert) is not valid PEM: {ex.Message}", nameof(pem), ex);
        }

        if (roots.Count == 0)
        {
            throw new ArgumentException(
                "The ARM CA certificate (--arm-ca-cert) holds no '-----BEGIN CERTIFICATE-----' block.", nameof(pem));
        }

        return new CustomRootTrust(roots);
    }

    public HttpPipelineTransportOptions ToTransportOptions() => new()
    {
        ServerCertificateCustomValidationCallback = Validate,
    };

    private bool Validate(ServerCertificateCustomValidationArgs args)
    {
        // Name mismatch and a missing certificate stay fatal; only the chain's anchor is ours to decide.
        if ((args.SslPolicyErrors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0
            || args.Certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        // Private CAs (simulators, test rigs) publish no revocation lists; online checks would fail closed on every call.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (args.CertificateAuthorityChain is { } presented)
        {
            foreach (X509ChainElement element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(args.Certificate);
    }
}
