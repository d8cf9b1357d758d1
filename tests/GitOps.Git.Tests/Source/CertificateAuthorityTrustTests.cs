using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GitOps.Git.Source;

namespace GitOps.Git.Tests.Source;

public sealed class CertificateAuthorityTrustTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gitops-ca-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Server(X509Certificate2 authority, string host)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
    }

    private string WritePem(X509Certificate2 certificate)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    [Fact]
    public void A_Server_Certificate_From_The_Bundle_Is_Trusted_Only_For_Its_Host()
    {
        using var authority = Authority("GitOps Test CA");
        using var other = Authority("Someone Else");
        using var server = Server(authority, "git.example.test");
        using var stranger = Server(other, "git.example.test");
        var trust = CertificateAuthorityTrust.Load(WritePem(authority));

        Assert.True(trust.IsTrusted(server, "git.example.test"));
        Assert.False(trust.IsTrusted(server, "evil.example.test"));
        Assert.False(trust.IsTrusted(stranger, "git.example.test"));
    }

    [Fact]
    public void A_Bundle_Without_Certificates_Is_Refused_When_The_Client_Is_Created()
    {
        var empty = Path.Combine(_folder, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");

        var error = Assert.Throws<GitSourceException>(() => new GitSourceClient(new GitSourceOptions { CacheRoot = _folder, CertificateAuthorityPath = empty }));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("empty.pem", error.Message, StringComparison.Ordinal);
    }
}
