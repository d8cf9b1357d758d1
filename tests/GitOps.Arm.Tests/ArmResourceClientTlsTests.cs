using GitOps.Arm.Tests.Infrastructure;
using GitOps.Core.Ports;
using static GitOps.Arm.Tests.Infrastructure.TestClients;

namespace GitOps.Arm.Tests;

[Trait("Category", "Integration")]
public class ArmResourceClientTlsTests
{
    [Fact]
    public async Task Server_Signed_By_The_Configured_CA_Is_Trusted()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody()));

        ArmResource? resource = await Create(server).GetAsync(StorageId, ApiVersion);

        Assert.NotNull(resource);
    }

    [Fact]
    public async Task Server_Signed_By_Another_CA_Is_Rejected_Without_Retrying()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Other.ServerCertificate);
        ArmResourceClient client = Create(server);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.GetAsync(StorageId, ApiVersion));

        Assert.Equal(ArmErrorCodes.TlsFailure, error.Code);
        Assert.Equal(ArmErrorKind.Fatal, error.Kind);
        Assert.Contains("--arm-ca-cert", error.Message);
        Assert.Empty(server.Requests);
        Assert.Equal(1, client.Counters.ReadsSent);
    }

    [Fact]
    public async Task Without_The_CA_Option_The_Test_Server_Is_Not_Trusted()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync(TestCertificates.Trusted.ServerCertificate);
        ArmResourceClient client = Create(server, o => o.CaCertificatePem = null);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.GetAsync(StorageId, ApiVersion));

        Assert.Equal(ArmErrorCodes.TlsFailure, error.Code);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Ca_Option_With_A_Custom_Transport_Is_Refused_Rather_Than_Silently_Ignored()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();

        ArgumentException error = Assert.Throws<ArgumentException>(
            () => Create(server, o => o.Transport = new Azure.Core.Pipeline.HttpClientTransport()));

        Assert.Contains("custom Transport", error.Message);
    }

    [Fact]
    public async Task Ca_Option_Without_A_Certificate_Is_A_Clear_Error()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();

        ArgumentException error = Assert.Throws<ArgumentException>(() => Create(server, o => o.CaCertificatePem = "not a certificate"));

        Assert.Contains("--arm-ca-cert", error.Message);
    }
}
