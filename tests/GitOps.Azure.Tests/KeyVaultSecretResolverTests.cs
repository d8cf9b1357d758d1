using GitOps.Azure.Tests.Infrastructure;
using GitOps.Core.Ports;

namespace GitOps.Azure.Tests;

[Trait("Category", "Integration")]
public class KeyVaultSecretResolverTests
{
    private const string Value = "S3cr3t-Value-9f2c";

    private static KeyVaultSecretResolver Create(Action<KeyVaultSecretResolverOptions>? configure = null)
    {
        var options = new KeyVaultSecretResolverOptions { CaCertificatePem = TestCertificates.Trusted.CaPem };
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        configure?.Invoke(options);
        return new KeyVaultSecretResolver(new StaticTokenCredential(TestClients.Token), options);
    }

    [Fact]
    public async Task Reads_Value_And_Version_With_A_Bearer_Token()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        string url = server.Url("/secrets/sql-admin");
        server.On("GET", "/secrets/sql-admin", TestResponse.Json(200, $$$"""{"value":"{{{Value}}}","id":"{{{url}}}/0a1b2c3d","attributes":{"enabled":true}}"""));

        ResolvedSecret secret = await Create().ResolveAsync(url);

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
        string url = server.Url("/secrets/sql-admin");
        server.Fallback = _ => TestResponse.Error(status, "Forbidden", "Caller is not authorized " + Value);

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => Create().ResolveAsync(url));

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
        string url = server.Url("/secrets/sql-admin");
        server.On("GET", "/secrets/sql-admin", TestResponse.Json(200, $$"""{"value":"{{Value}}"}"""));

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => Create().ResolveAsync(url));

        Assert.Contains("no value or no versioned id", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Server_Signed_By_Another_CA_Is_A_Transient_Error_Naming_The_Secret()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Other.ServerCertificate);
        string url = server.Url("/secrets/sql-admin");

        SecretResolutionException error = await Assert.ThrowsAsync<SecretResolutionException>(() => Create().ResolveAsync(url));

        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }
}
