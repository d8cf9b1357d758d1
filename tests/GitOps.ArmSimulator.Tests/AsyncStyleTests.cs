using System.Net;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

[Trait("Category", "Integration")]
public sealed class AsyncStyleTests : IAsyncLifetime
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;
    private const string Api = "2024-01-01";
    private ArmSimulatorServer _server = null!;
    private HttpClient _client = null!;
    private string _group = null!;

    public async Task InitializeAsync()
    {
        var options = new ArmSimulatorOptions { AsyncPollCount = 2, RetryAfter = TimeSpan.FromSeconds(1) };
        _server = await ArmSimulatorServer.StartAsync(options);
        _client = ArmHttp.CreateClient(_server);
        _group = await _client.CreateGroupAsync(Sub, "rg-async");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private string Use(ArmAsyncStyle style, string type = "Microsoft.Demo/widgets")
    {
        _server.State.SetAsyncStyle(type, style);
        return $"{_group}/providers/{type}/{ArmHttp.NewName("w")}";
    }

    [Fact]
    public async Task Synchronous_Put_Is_Succeeded_At_Once_Without_Polling_Headers()
    {
        var id = Use(ArmAsyncStyle.Synchronous);
        using var put = await _client.PutAsync(id, """{"location":"westeurope"}""", Api);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Succeeded", (await put.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.False(put.HasHeader("Azure-AsyncOperation"));
        Assert.False(put.HasHeader("Location"));
    }

    [Fact]
    public async Task AzureAsyncOperation_Reports_InProgress_N_Times_Then_Succeeded()
    {
        var id = Use(ArmAsyncStyle.AzureAsyncOperation);
        using var put = await _client.PutAsync(id, """{"location":"westeurope"}""", Api);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Creating", (await put.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("1", put.Header("Retry-After"));
        Assert.True(put.HasHeader("Location"));
        var status = new Uri(put.Header("Azure-AsyncOperation"));
        Assert.Contains("api-version=" + Api, status.Query, StringComparison.Ordinal);

        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var poll = await _client.GetAsync(status);
            Assert.Equal(HttpStatusCode.OK, poll.StatusCode); // the status URL always answers 200
            var body = await poll.JsonAsync();
            seen.Add(body["status"]!.GetValue<string>());
            if (seen[^1] == "InProgress")
            {
                Assert.Equal("1", poll.Header("Retry-After"));
            }
            else
            {
                Assert.NotNull(body["endTime"]);
            }
        }

        Assert.Equal(["InProgress", "InProgress", "Succeeded"], seen);
        using var get = await _client.GetAsync(id, Api);
        Assert.Equal("Succeeded", (await get.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Location_Style_Hides_The_New_Resource_Until_The_Operation_Ends()
    {
        var id = Use(ArmAsyncStyle.Location);
        using var put = await _client.PutAsync(id, """{"location":"westeurope"}""", Api);
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        Assert.False(put.HasHeader("Azure-AsyncOperation"));
        var location = new Uri(put.Header("Location"));

        Assert.DoesNotContain(id, _server.State.ResourceIds);
        using var firstPoll = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.Accepted, firstPoll.StatusCode);
        Assert.Equal(location, new Uri(firstPoll.Header("Location")));
        using var hidden = await _client.GetAsync(id, Api); // a GET counts as a poll but still sees nothing
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        using var done = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(id, (await done.JsonAsync())["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(id, Api)).StatusCode);
    }

    [Fact]
    public async Task Location_Style_Delete_Polls_202_Then_204_And_Resource_Disappears()
    {
        var id = Use(ArmAsyncStyle.Location);
        _server.State.SetAsyncStyle("Microsoft.Demo/widgets", ArmAsyncStyle.Synchronous);
        await _client.PutAsync(id, """{"location":"westeurope"}""", Api);
        _server.State.SetAsyncStyle("Microsoft.Demo/widgets", ArmAsyncStyle.Location);

        using var delete = await _client.DeleteAsync(id, Api);
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        var location = new Uri(delete.Header("Location"));
        using var during = await _client.GetAsync(id, Api);
        Assert.Equal("Deleting", (await during.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
        using var again = await _client.DeleteAsync(id, Api);
        Assert.Equal("AnotherOperationInProgress", await again.ErrorCodeAsync());

        using var poll = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.Accepted, poll.StatusCode);
        using var done = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(id, Api)).StatusCode);
    }

    [Fact]
    public async Task ProvisioningState_Style_Reports_Creating_On_Gets_Until_The_Polls_Pass()
    {
        var id = Use(ArmAsyncStyle.ProvisioningState);
        using var put = await _client.PutAsync(id, """{"location":"westeurope"}""", Api);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.False(put.HasHeader("Azure-AsyncOperation"));
        Assert.False(put.HasHeader("Location"));

        var states = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var get = await _client.GetAsync(id, Api);
            states.Add((await get.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
        }

        Assert.Equal(["Creating", "Creating", "Succeeded", "Succeeded"], states);
    }

    [Fact]
    public async Task NonStandardCreated_Never_Becomes_Succeeded()
    {
        var id = Use(ArmAsyncStyle.NonStandardCreated, "Microsoft.ServiceBus/namespaces");
        using var put = await _client.PutAsync(id, """{"location":"westeurope","sku":{"name":"Standard"}}""", Api);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            using var get = await _client.GetAsync(id, Api);
            Assert.Equal("Created", (await get.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Failed_Style_Ends_Failed_With_An_Error_Code()
    {
        var id = Use(ArmAsyncStyle.Failed);
        using var put = await _client.PutAsync(id, """{"location":"westeurope"}""", Api);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var status = new Uri(put.Header("Azure-AsyncOperation"));
        string last = "";
        System.Text.Json.Nodes.JsonObject? body = null;
        for (var i = 0; i < 5 && last is "" or "InProgress"; i++)
        {
            using var poll = await _client.GetAsync(status);
            body = await poll.JsonAsync();
            last = body["status"]!.GetValue<string>();
        }

        Assert.Equal("Failed", last);
        Assert.Equal("InternalOperationError", body!["error"]!["code"]!.GetValue<string>());
        using var get = await _client.GetAsync(id, Api);
        Assert.Equal("Failed", (await get.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_While_An_Operation_Runs_Is_AnotherOperationInProgress()
    {
        var id = Use(ArmAsyncStyle.AzureAsyncOperation);
        await _client.PutAsync(id, """{"location":"westeurope"}""", Api);
        using var second = await _client.PutAsync(id, """{"location":"westeurope","tags":{"a":"b"}}""", Api);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("AnotherOperationInProgress", await second.ErrorCodeAsync());
    }

    [Fact]
    public async Task Unknown_Operation_Is_404()
    {
        using var missing = await _client.GetAsync($"/subscriptions/{Sub}/operationStatuses/{Guid.NewGuid()}", Api);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("OperationNotFound", await missing.ErrorCodeAsync());
    }
}
