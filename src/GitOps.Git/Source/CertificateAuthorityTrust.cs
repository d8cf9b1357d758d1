using System.Security.Cryptography.X509Certificates;
using GitOps.Core.Security;

namespace GitOps.Git.Source;

/// <summary>
/// Extra certificate authorities for HTTPS remotes (<see cref="GitSourceOptions.CertificateAuthorityPath"/>).
/// libgit2 checks the server against the system store first; when that fails, the certificate is accepted only if
/// it chains to one of these authorities and names the host (<see cref="PrivateRootTrust"/>, no system roots).
/// </summary>
internal sealed class CertificateAuthorityTrust
{
    private readonly PrivateRootTrust _trust;

    private CertificateAuthorityTrust(PrivateRootTrust trust) => _trust = trust;

    /// <summary>Loads the PEM bundle at <paramref name="path"/>.</summary>
    /// <exception cref="GitSourceException">The file is missing or holds no certificate.</exception>
    public static CertificateAuthorityTrust Load(string path)
    {
        var source = $"The certificate authority bundle '{path}'";
        try
        {
            return new CertificateAuthorityTrust(PrivateRootTrust.FromPem(File.ReadAllText(path), source));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"{source} could not be read: {e.Message}", innerException: e);
        }
        catch (ArgumentException e)
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, e.Message, innerException: e);
        }
    }

    /// <summary>True when <paramref name="certificate"/> chains to one of the authorities and is valid for <paramref name="host"/>.</summary>
    public bool IsTrusted(X509Certificate certificate, string host) => _trust.IsTrusted(certificate, host);
}
