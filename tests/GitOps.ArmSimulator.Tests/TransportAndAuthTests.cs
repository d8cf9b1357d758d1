using System.Net;
using System.Security.Cryptography.X509Certificates;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

[Trait("Category", "Integration")]
public sealed class TransportAndAuthTests : IClassFixture<ArmSimulatorFixture>
{
    private readonly ArmSimulatorFixture _sim;

    public TransportAndAuthTests(ArmSimulatorFixture sim) => _sim = sim;

    [Fact]
    public async Task Serves_Https_Trusted_Only_Through_The_Exported_Certificate()
    {
        Assert.Equal("https", _sim.Endpoint.Scheme);
        using var ok = await _sim.Client.GetAsync($"/subscriptions/{ArmSimulatorFixture.SubscriptionId}/resourcegroups", "2022-09-01");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        // A client trusting another simulator's certificate must refuse this one.
        await using var other = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions());
        using var wrongTrust = new HttpClient(other.CreateHttpMessageHandler()) { BaseAddress = _sim.Endpoint };
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongTrust.GetAsync("/subscriptions"));

        // The default trust store does not know the certificate either.
        using var systemTrust = new HttpClient { BaseAddress = _sim.Endpoint };
        await Assert.ThrowsAsync<HttpRequestException>(() => systemTrust.GetAsync("/subscriptions"));
    }

    [Fact]
    public void Certificate_Names_Localhost_And_Loopback_And_Pem_Round_Trips()
    {
        var san = _sim.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", _sim.CertificatePem, StringComparison.Ordinal);
        using var fromPem = X509Certificate2.CreateFromPem(_sim.CertificatePem);
        Assert.Equal(_sim.Certificate.Thumbprint, fromPem.Thumbprint);
        Assert.False(fromPem.HasPrivateKey);
    }

    [Fact]
    public async Task Writes_The_Pem_To_CertificateOutputPath_And_A_Client_Can_Trust_That_File()
    {
        var path = Path.Combine(Path.GetTempPath(), "armsim-" + Guid.NewGuid().ToString("N"), "sim.pem");
        try
        {
            await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { CertificateOutputPath = path });
            var pem = await File.ReadAllTextAsync(path);
            Assert.Equal(server.CertificatePem, pem);

            using var trusted = X509Certificate2.CreateFromPem(pem);
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.CustomTrustStore.Add(trusted);
                    return cert is not null && chain.Build(cert);
                },
            };
            using var client = new HttpClient(handler) { BaseAddress = server.Endpoint };
            using var response = await client.GetAsync("/_sim/certificate");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(pem, await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Request_Without_Bearer_Token_Gets_401_AuthenticationFailed()
    {
        using var anonymous = new HttpClient(_sim.CreateHandler()) { BaseAddress = _sim.Endpoint };
        using var response = await anonymous.GetAsync($"/subscriptions/{ArmSimulatorFixture.SubscriptionId}/resourcegroups?api-version=2022-09-01");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AuthenticationFailed", await response.ErrorCodeAsync());
        Assert.True(response.Headers.WwwAuthenticate.Count > 0);

        using var basic = new HttpRequestMessage(HttpMethod.Get, $"/subscriptions/{ArmSimulatorFixture.SubscriptionId}/resourcegroups?api-version=2022-09-01");
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        using var basicResponse = await anonymous.SendAsync(basic);
        Assert.Equal(HttpStatusCode.Unauthorized, basicResponse.StatusCode);
    }

    [Fact]
    public async Task Request_Without_Api_Version_Gets_400_MissingApiVersionParameter()
    {
        using var response = await _sim.Client.SendAsync(HttpMethod.Get, $"/subscriptions/{ArmSimulatorFixture.SubscriptionId}/resourcegroups/x", apiVersion: null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MissingApiVersionParameter", await response.ErrorCodeAsync());
    }

    [Fact]
    public async Task Every_Response_Carries_Correlation_And_Request_Ids_And_Echoes_The_Callers_Correlation_Id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/subscriptions/{ArmSimulatorFixture.SubscriptionId}/resourcegroups/missing-rg?api-version=2022-09-01");
        request.Headers.Add("x-ms-correlation-request-id", "corr-123");
        using var notFound = await _sim.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("corr-123", notFound.Header("x-ms-correlation-request-id"));
        Assert.True(Guid.TryParse(notFound.Header("x-ms-request-id"), out _));

        using var anonymous = new HttpClient(_sim.CreateHandler()) { BaseAddress = _sim.Endpoint };
        using var unauthorized = await anonymous.GetAsync("/subscriptions");
        Assert.True(Guid.TryParse(unauthorized.Header("x-ms-correlation-request-id"), out _));
        Assert.True(Guid.TryParse(unauthorized.Header("x-ms-request-id"), out _));
    }

    [Fact]
    public async Task Start_Rejects_Invalid_Options_Naming_The_Option()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { FaultRate = 2 }));
        Assert.Contains("FaultRate", error.Message, StringComparison.Ordinal);
        error = await Assert.ThrowsAsync<ArgumentException>(() => ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { Host = "not-an-ip" }));
        Assert.Contains("Host", error.Message, StringComparison.Ordinal);
    }
}
