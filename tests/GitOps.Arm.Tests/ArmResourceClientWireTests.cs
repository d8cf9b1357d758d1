using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using GitOps.Arm.Tests.Infrastructure;
using static GitOps.Arm.Tests.Infrastructure.TestClients;
using ArmResource = GitOps.Core.Ports.ArmResource;

namespace GitOps.Arm.Tests;

[Trait("Category", "Integration")]
public class ArmResourceClientWireTests
{
    private const string ProviderPath = "/subscriptions/" + Subscription + "/providers/Microsoft.Storage";

    [Fact]
    public async Task Get_Sends_Declared_ApiVersion_And_Static_Bearer_Token_Over_Https()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody(), ("x-ms-correlation-request-id", "corr-1")));
        ArmResourceClient client = Create(server);

        ArmResource? resource = await client.GetAsync(StorageId, ApiVersion);

        Assert.NotNull(resource);
        Assert.Equal(StorageId, resource.Id);
        Assert.Equal("TLS1_2", resource.Body["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        Assert.Equal("corr-1", resource.CorrelationId);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(StoragePath, request.Path);
        Assert.Equal(ApiVersion, request.ApiVersion);
        Assert.Equal("Bearer " + Token, request.Header("Authorization"));
        Assert.Equal(1, client.Counters.ReadsSent);
    }

    [Fact]
    public async Task GenericResource_Would_Send_The_Providers_First_Version_Not_The_Declared_One()
    {
        // The provider lists a preview first, as real providers do; GenericResource takes apiVersions[0].
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("GET", ProviderPath, TestResponse.Json(200, $$"""
            {"id":"{{ProviderPath}}","namespace":"Microsoft.Storage","registrationState":"Registered",
             "resourceTypes":[{"resourceType":"storageAccounts","locations":["West Europe"],
                               "apiVersions":["2025-06-01-preview","2024-01-01","2023-05-01"]}]}
            """));
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody()));

        var armOptions = new ArmClientOptions { Environment = new ArmEnvironment(server.Endpoint, ArmCloud.Public.Audience) };
        armOptions.Retry.MaxRetries = 0;
        armOptions.Transport = new HttpClientTransport(TrustingTestCaHandler());
        var armClient = new ArmClient(new StaticTokenCredential(Token), Subscription, armOptions);
        GenericResource generic = (await armClient.GetGenericResource(new ResourceIdentifier(StorageId)).GetAsync()).Value;
        Assert.Equal(StorageId, generic.Id.ToString());

        ArmResource? ours = await Create(server).GetAsync(StorageId, ApiVersion);
        Assert.NotNull(ours);

        string?[] versionsOnResource = server.RequestsTo("GET", StoragePath).Select(r => r.ApiVersion).ToArray();
        Assert.Equal(new string?[] { "2025-06-01-preview", ApiVersion }, versionsOnResource);
        Assert.Single(server.RequestsTo("GET", ProviderPath));
    }

    [Fact]
    public async Task Get_Returns_Null_On_404()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        ArmResourceClient client = Create(server);

        Assert.Null(await client.GetAsync(StorageId, ApiVersion));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Put_Sends_The_Body_As_Json_With_Declared_ApiVersion()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server);
        var body = new JsonObject { ["location"] = "westeurope", ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_2" } };

        ArmResource result = await client.CreateOrUpdateAsync(StorageId, "2024-01-01-preview", body);

        Assert.Equal("Succeeded", result.Body["properties"]!["provisioningState"]!.GetValue<string>());
        RecordedRequest put = Assert.Single(server.Requests);
        Assert.Equal("PUT", put.Method);
        Assert.Equal("2024-01-01-preview", put.ApiVersion);
        Assert.StartsWith("application/json", put.Header("Content-Type"));
        Assert.True(JsonNode.DeepEquals(body, JsonNode.Parse(put.Body)));
        Assert.Equal(1, client.Counters.WritesSent);
    }

    [Theory]
    [InlineData("subscriptions/x/resourceGroups/rg", "2023-05-01")]
    [InlineData("/subscriptions/x//resourceGroups/rg", "2023-05-01")]
    [InlineData("/subscriptions/x/resourceGroups/rg?api-version=1", "2023-05-01")]
    [InlineData("/subscriptions/x/resourceGroups/../rg", "2023-05-01")]
    [InlineData("/subscriptions/x/resourceGroups/rg", "latest")]
    [InlineData("/subscriptions/x/resourceGroups/rg", "2023-05-01&x=1")]
    public async Task Malformed_Id_Or_ApiVersion_Is_Rejected_Before_Sending(string id, string apiVersion)
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        ArmResourceClient client = Create(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(id, apiVersion));
        Assert.Empty(server.Requests);
    }

    private static SocketsHttpHandler TrustingTestCaHandler()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(TestCertificates.Trusted.CaPem));
        return new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = policy } };
    }
}
