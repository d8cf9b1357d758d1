using System.Security.Cryptography.X509Certificates;

namespace GitOps.Git.Source;

/// <summary>
/// Extra certificate authorities for HTTPS remotes (<see cref="GitSourceOptions.CertificateAuthorityPath"/>).
/// libgit2 checks the server against the system store first; when that fails, the certificate is accepted only if
/// it chains to one of these authorities (custom root trust, no system roots) and names the host.
/// </summary>
internal sealed class CertificateAuthorityTrust
{
    private readonly X509Certificate2Collection _authorities;

    private CertificateAuthorityTrust(X509Certificate2Collection authorities) => _authorities = authorities;

    /// <summary>Loads the PEM bundle at <paramref name="path"/>.</summary>
    /// <exception cref="GitSourceException">The file is missing or holds no certificate.</exception>
    public static CertificateAuthorityTrust Load(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"The certificate authority bundle '{path}' could not be read: {e.Message}", innerException: e);
        }

        if (authorities.Count == 0)
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"The certificate authority bundle '{path}' holds no PEM certificate.");
        }

        return new CertificateAuthorityTrust(authorities);
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of the authorities and is valid for <paramref name="host"/>.</summary>
    public bool IsTrusted(X509Certificate certificate, string host)
    {
        using var server = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        return chain.Build(server) && server.MatchesHostname(host);
    }
}
