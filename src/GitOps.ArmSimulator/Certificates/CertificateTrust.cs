using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GitOps.ArmSimulator.Certificates;

/// <summary>Client-side trust of exactly one certificate, without touching the machine's trust store.</summary>
internal static class CertificateTrust
{
    public static SocketsHttpHandler CreateHandler(X509Certificate2 trusted)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            IsTrusted(trusted, certificate, errors);
        return handler;
    }

    public static bool IsTrusted(X509Certificate2 trusted, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        var leaf = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(leaf);
    }
}
