using GitOps.Core.Security;
using GitOps.Testing;

namespace GitOps.Core.Tests.Security;

public sealed class PrivateRootTrustTests
{
    [Fact]
    public void A_Certificate_Issued_By_The_Bundle_Is_Trusted_For_Its_Host_Only()
    {
        using var authority = TestAuthority.Create("Private CA");
        using var server = authority.IssueServer(["arm.example.test"]);
        var trust = PrivateRootTrust.FromPem(authority.Pem, "The test bundle");

        Assert.True(trust.IsTrusted(server, "arm.example.test"));
        Assert.True(trust.IsTrusted(server, host: null));
        Assert.False(trust.IsTrusted(server, "evil.example.test"));
    }

    [Fact]
    public void A_Certificate_From_Another_Authority_Is_Not_Trusted_Even_For_The_Right_Host()
    {
        using var authority = TestAuthority.Create("Private CA");
        using var other = TestAuthority.Create("Someone Else");
        using var stranger = other.IssueServer(["arm.example.test"]);

        Assert.False(PrivateRootTrust.FromPem(authority.Pem, "The test bundle").IsTrusted(stranger, "arm.example.test"));
    }

    [Fact]
    public void A_Certificate_Not_Issued_For_Tls_Servers_Is_Not_Trusted()
    {
        using var authority = TestAuthority.Create("Private CA");
        using var client = authority.IssueServer(["arm.example.test"], usage: TestAuthority.ClientAuthentication);

        Assert.False(PrivateRootTrust.FromPem(authority.Pem, "The test bundle").IsTrusted(client, "arm.example.test"));
    }

    [Fact]
    public void A_Bundle_Of_Several_Authorities_Trusts_Each_Of_Them()
    {
        using var first = TestAuthority.Create("First CA");
        using var second = TestAuthority.Create("Second CA");
        using var server = second.IssueServer(["git.example.test"]);

        var trust = PrivateRootTrust.FromPem(first.Pem + "\n" + second.Pem + "\n", "The test bundle");

        Assert.True(trust.IsTrusted(server, "git.example.test"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")]
    public void Text_That_Holds_No_Certificate_Is_Refused_Naming_Its_Source(string pem)
    {
        var error = Assert.Throws<ArgumentException>(() => PrivateRootTrust.FromPem(pem, "The ARM CA certificate (--arm-ca-cert)"));

        Assert.StartsWith("The ARM CA certificate (--arm-ca-cert)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }
}
