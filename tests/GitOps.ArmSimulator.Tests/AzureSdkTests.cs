using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

/// <summary>The real Azure SDK pipeline (bearer-token policy, retries, LRO pollers) against the simulator, unchanged.</summary>
[Trait("Category", "Integration")]
public sealed class AzureSdkTests : IAsyncLifetime
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;
    private const string Scope = "https://management.azure.com/.default";
    private ArmSimulatorServer _server = null!;
    private readonly StaticTokenCredential _credential = new();

    public async Task InitializeAsync() => _server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed class SimulatorClientOptions : ClientOptions
    {
    }

    private HttpPipeline CreatePipeline()
    {
        var options = new SimulatorClientOptions { Transport = new HttpClientTransport(_server.CreateHttpMessageHandler()) };
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxRetries = 3;
        return HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(_credential, Scope));
    }

    private ArmClient CreateArmClient()
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(_server.Endpoint, "https://management.azure.com/"),
            Transport = new HttpClientTransport(_server.CreateHttpMessageHandler()),
        };
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        return new ArmClient(_credential, Sub, options);
    }

    private async Task<Response> SendAsync(HttpPipeline pipeline, RequestMethod method, string path, string apiVersion, string? body = null)
    {
        // The message is not disposed: the buffered response it holds is returned to the caller, who disposes it.
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(_server.Endpoint, path + "?api-version=" + apiVersion));
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString(body));
        }

        await pipeline.SendAsync(message, CancellationToken.None);
        return message.Response;
    }

    [Fact]
    public async Task Raw_Pipeline_With_Bearer_Policy_Puts_And_Gets_With_The_Declared_Api_Version()
    {
        var pipeline = CreatePipeline();
        var group = $"/subscriptions/{Sub}/resourceGroups/rg-sdk";
        using var rg = await SendAsync(pipeline, RequestMethod.Put, group, "2022-09-01", """{"location":"westeurope"}""");
        Assert.Equal(201, rg.Status);

        var id = $"{group}/providers/Microsoft.Storage/storageAccounts/stsdk";
        using var put = await SendAsync(pipeline, RequestMethod.Put, id, "2023-01-01", """{"location":"westeurope","sku":{"name":"Standard_LRS"}}""");
        Assert.Equal(201, put.Status);
        Assert.True(put.Headers.TryGetValue("x-ms-ratelimit-remaining-subscription-writes", out var remaining));
        Assert.Equal("198", remaining);

        using var get = await SendAsync(pipeline, RequestMethod.Get, id, "2023-01-01");
        Assert.Equal(200, get.Status);
        Assert.Equal("Standard", JsonNode.Parse(get.Content.ToString())!["sku"]!["tier"]!.GetValue<string>());

        Assert.Equal(["2022-09-01", "2023-01-01", "2023-01-01"], _server.State.Requests.Select(r => r.ApiVersion));
        Assert.True(_credential.Requests >= 1);
    }

    [Fact]
    public async Task Pipeline_Retries_A_429_Honouring_Retry_After_And_Then_Succeeds()
    {
        var pipeline = CreatePipeline();
        _server.State.AddFault(new ArmFaultRule { Method = "GET", StatusCode = 429, Count = 2, RetryAfter = TimeSpan.Zero });
        using var response = await SendAsync(pipeline, RequestMethod.Get, $"/subscriptions/{Sub}/resourcegroups", "2022-09-01");
        Assert.Equal(200, response.Status);
        Assert.Equal([429, 429, 200], _server.State.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Pipeline_Rides_Out_A_Chaos_Fault_Rate_With_Its_Retries()
    {
        var options = new ArmSimulatorOptions { FaultRate = 0.3, RandomSeed = 3 };
        await using var chaos = await ArmSimulatorServer.StartAsync(options);
        var clientOptions = new SimulatorClientOptions { Transport = new HttpClientTransport(chaos.CreateHttpMessageHandler()) };
        clientOptions.Retry.Mode = RetryMode.Fixed;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(1);
        clientOptions.Retry.MaxRetries = 10;
        var pipeline = HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(_credential, Scope));

        for (var i = 0; i < 20; i++)
        {
            using var message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Put;
            message.Request.Uri.Reset(new Uri(chaos.Endpoint, $"/subscriptions/{Sub}/resourceGroups/rg-chaos-{i}?api-version=2022-09-01"));
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString("""{"location":"westeurope"}"""));
            await pipeline.SendAsync(message, CancellationToken.None);
            Assert.Equal(201, message.Response.Status);
        }

        Assert.Equal(20, chaos.State.ResourceIds.Count);
        Assert.Contains(chaos.State.Requests, r => r.StatusCode is 429 or 500 or 503);
    }

    [Fact]
    public async Task ArmClient_Typed_Resource_Group_Create_Works_Unchanged()
    {
        var client = CreateArmClient();
        var subscription = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(Sub));
        var operation = await subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, "rg-typed", new ResourceGroupData(AzureLocation.WestEurope));
        Assert.Equal("rg-typed", operation.Value.Data.Name);
        Assert.Equal(AzureLocation.WestEurope, operation.Value.Data.Location);
        Assert.True(await subscription.GetResourceGroups().ExistsAsync("RG-TYPED"));
    }

    [Fact]
    public async Task GenericResource_Uses_The_Providers_First_Api_Version_Not_The_Declared_One()
    {
        var client = CreateArmClient();
        await client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(Sub)).GetResourceGroups()
            .CreateOrUpdateAsync(WaitUntil.Completed, "rg-generic", new ResourceGroupData(AzureLocation.WestEurope));
        _server.State.SetAsyncStyle("Microsoft.KeyVault/vaults", ArmAsyncStyle.AzureAsyncOperation);
        _server.State.ClearRequests();

        var id = new ResourceIdentifier($"/subscriptions/{Sub}/resourceGroups/rg-generic/providers/Microsoft.KeyVault/vaults/kv-generic");
        var data = new GenericResourceData(AzureLocation.WestEurope)
        {
            Properties = BinaryData.FromString("""{"tenantId":"00000000-0000-0000-0000-000000000000","sku":{"family":"A","name":"standard"}}"""),
        };
        var operation = await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, id, data);
        Assert.True(operation.HasCompleted);
        var properties = JsonNode.Parse(operation.Value.Data.Properties.ToString())!;
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        Assert.Equal("https://kv-generic.vault.azure.net/", properties["vaultUri"]!.GetValue<string>());

        var log = _server.State.Requests;
        Assert.Contains(log, r => r.Path.EndsWith("/providers/Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase) && r.Kind == ArmOperationKind.Read);
        var put = Assert.Single(log, r => r.Method == "PUT");
        Assert.Equal("2024-12-01-preview", put.ApiVersion); // apiVersions[0] of the provider listing, a preview
        Assert.Contains(log, r => r.Path.Contains("/operationStatuses/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ArmClient_Location_Style_Delete_Polls_To_Completion()
    {
        var client = CreateArmClient();
        var group = (await client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(Sub)).GetResourceGroups()
            .CreateOrUpdateAsync(WaitUntil.Completed, "rg-delete", new ResourceGroupData(AzureLocation.WestEurope))).Value;
        var id = new ResourceIdentifier($"{group.Id}/providers/Microsoft.Storage/storageAccounts/stdelete");
        await client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, id, new GenericResourceData(AzureLocation.WestEurope));
        _server.State.SetAsyncStyle("Microsoft.Storage/storageAccounts", ArmAsyncStyle.Location);

        var delete = await client.GetGenericResource(id).DeleteAsync(WaitUntil.Completed);
        Assert.True(delete.HasCompleted);
        Assert.False(await client.GetGenericResources().ExistsAsync(id));

        var groupDelete = await group.DeleteAsync(WaitUntil.Completed);
        Assert.True(groupDelete.HasCompleted);
        Assert.Empty(_server.State.ResourceIds);
    }
}
