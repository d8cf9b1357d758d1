using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using GitOps.Core.Security;

namespace GitOps.Arm;

/// <summary>
/// The Azure SDK transport for an ARM or Key Vault endpoint whose certificate chains to a private CA
/// (<see cref="PrivateRootTrust"/>): a local simulator, Azure Stack Hub.
/// </summary>
internal static class CustomRootTrust
{
    /// <summary>Transport options that trust exactly the CA certificates of <paramref name="pem"/>.</summary>
    /// <exception cref="ArgumentException">The PEM is invalid or empty.</exception>
    public static HttpPipelineTransportOptions TransportOptionsFromPem(string pem)
    {
        var trust = PrivateRootTrust.FromPem(pem, "The ARM CA certificate (--arm-ca-cert)");
        return new HttpPipelineTransportOptions { ServerCertificateCustomValidationCallback = args => Validate(trust, args) };
    }

    private static bool Validate(PrivateRootTrust trust, ServerCertificateCustomValidationArgs args)
    {
        // The transport has checked the host name: a mismatch or a missing certificate stays fatal, and only the chain's
        // anchor is ours to decide.
        if ((args.SslPolicyErrors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0
            || args.Certificate is null)
        {
            return false;
        }

        var presented = args.CertificateAuthorityChain?.ChainElements.Select(element => element.Certificate);
        return trust.IsTrusted(args.Certificate, host: null, presented);
    }
}
