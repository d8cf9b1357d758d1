using GitOps.Arm.Tests.Infrastructure;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Arm.Tests;

[Trait("Category", "Integration")]
public class KeyVaultSecretResolverTests
{
    private const string Value = "S3cr3t-Value-9f2c";

    /// <summary>A resolver that trusts the test CA and may send to <paramref name="server"/>'s localhost port only.</summary>
    private static KeyVaultSecretResolver Create(ArmTestServer server, Action<KeyVaultSecretResolverOptions>? configure = null)
    {
        var options = new KeyVaultSecretResolverOptions
        {
            CaCertificatePem = TestCertificates.Trusted.CaPem,
            AllowedHosts = KeyVaultHostOptions.Create(KeyVaultHostOptions.PublicCloudSuffix, [$"localhost:{server.Endpoint.Port}"]),
        };
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        configure?.Invoke(options);
        return new KeyVaultSecretResolver(new StaticTokenCredential(TestClients.Token), options);
    }

    [Fact]
    public async Task Reads_Value_And_Version_With_A_Bearer_Token()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        string url = VaultUrl(server, "/secrets/sql-admin");
        server.On("GET", "/secrets/sql-admin", TestResponse.Json(200, $$$"""{"value":"{{{Value}}}","id":"{{{url}}}/0a1b2c3d","attributes":{"enabled":true}}"""));

        ResolvedSecret secret = await Create(server).ResolveAsync(url);

        Assert.Equal(Value, secret.Value);
        Assert.Equal("0a1b2c3d", secret.VersionId);
        Assert.DoesNotContain(Value, secret.ToString(), StringComparison.Ordinal);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("7.4", request.ApiVersion);
        Assert.Equal("Bearer " + TestClients.Token, request.Header("Authorization"));
    }

    [Theory]
    [InlineData(403, "Key Vault Secrets User", false)]
    [InlineData(404, "does not exist", false)]
    [InlineData(503, "the run will retry", true)]
    public async Task Errors_Name_The_Secret_And_What_To_Do(int status, string expected, bool transient)
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        string url = VaultUrl(server, "/secrets/sql-admin");
        server.Fallback = _ => TestResponse.Error(status, "Forbidden", "Caller is not authorized " + Value);

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => Create(server).ResolveAsync(url));

        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(transient, error.IsTransient);
        Assert.Equal(url, error.SecretUrl);
    }

    [Fact]
    public async Task An_Answer_Without_A_Versioned_Id_Is_Refused_Without_Quoting_It()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        string url = VaultUrl(server, "/secrets/sql-admin");
        server.On("GET", "/secrets/sql-admin", TestResponse.Json(200, $$"""{"value":"{{Value}}"}"""));

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => Create(server).ResolveAsync(url));

        Assert.Contains("no value or no versioned id", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Server_Signed_By_Another_CA_Is_A_Transient_Error_Naming_The_Secret()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Other.ServerCertificate);
        string url = VaultUrl(server, "/secrets/sql-admin");

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => Create(server).ResolveAsync(url));

        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("https://localhost:{0}/secrets/sql-admin", "not a Key Vault host of the configured cloud")]
    [InlineData("https://127.0.0.1:{0}/secrets/sql-admin", "IP address")]
    [InlineData("http://localhost:{0}/secrets/sql-admin", "not an https:// URL")]
    [InlineData("https://user@localhost:{0}/secrets/sql-admin", "user info")]
    [InlineData("https://localhost:{0}/secrets/../sql-admin", "path other than")]
    public async Task A_Url_Outside_The_Allowed_Hosts_Is_Refused_Before_Any_Request(string template, string reason)
    {
        // A receiver that would record the Authorization header of anything sent to it.
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        server.Fallback = _ => TestResponse.Json(200, $$"""{"value":"{{Value}}","id":"https://localhost/secrets/sql-admin/1"}""");
        string url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, server.Endpoint.Port);
        var resolver = new KeyVaultSecretResolver(
            new StaticTokenCredential(TestClients.Token),
            new KeyVaultSecretResolverOptions { CaCertificatePem = TestCertificates.Trusted.CaPem });

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => resolver.ResolveAsync(url));

        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task An_Allowed_Suffix_Does_Not_Allow_Another_Port_Of_The_Same_Host()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        string url = VaultUrl(server, "/secrets/sql-admin");
        var resolver = new KeyVaultSecretResolver(
            new StaticTokenCredential(TestClients.Token),
            new KeyVaultSecretResolverOptions
            {
                CaCertificatePem = TestCertificates.Trusted.CaPem,
                AllowedHosts = KeyVaultHostOptions.Create(KeyVaultHostOptions.PublicCloudSuffix, [$"localhost:{server.Endpoint.Port + 1}"]),
            });

        await Assert.ThrowsAsync<SecretResolutionException>(() => resolver.ResolveAsync(url));

        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_Redirect_From_The_Vault_Is_Not_Followed_With_The_Token(int status)
    {
        await using ArmTestServer vault = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        await using ArmTestServer other = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        string url = VaultUrl(vault, "/secrets/sql-admin");
        vault.On("GET", "/secrets/sql-admin", TestResponse.Empty(status, ("Location", VaultUrl(other, "/secrets/sql-admin"))));

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => Create(vault).ResolveAsync(url));

        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Single(vault.Requests);
        Assert.Empty(other.Requests);
    }

    // The test server listens on 127.0.0.1; vault URLs name it by DNS name, as an IP literal is never a vault host.
    private static string VaultUrl(ArmTestServer server, string path) =>
        server.Url(path).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
}
