using System.Security.Cryptography.X509Certificates;
using GitOps.Testing;

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
            using var authority = TestAuthority.Create(name);
            return new Authority(authority.Pem, authority.IssueServer(["localhost"], loopback: true));
        }
    }
}
