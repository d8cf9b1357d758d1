using GitOps.Git.Source;
using GitOps.Testing;

namespace GitOps.Git.Tests.Source;

public sealed class CertificateAuthorityTrustTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gitops-ca-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WritePem(TestAuthority authority)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, authority.Pem);
        return path;
    }

    [Fact]
    public void A_Server_Certificate_From_The_Bundle_Is_Trusted_Only_For_Its_Host()
    {
        using var authority = TestAuthority.Create("GitOps Test CA");
        using var other = TestAuthority.Create("Someone Else");
        using var server = authority.IssueServer(["git.example.test"]);
        using var stranger = other.IssueServer(["git.example.test"]);
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
