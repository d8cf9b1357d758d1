using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using GitOps.Core.Runs;
using GitOps.Functions.Tests.Harness.Rpc;
using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;

namespace GitOps.Functions.Tests;

/// <summary>Single invocations of the real worker, sent as the host sends them, including what an attacker would send.</summary>
[Collection(WorkerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkerInvocationTests(WorkerHostFixture fixture)
{
    private QueueClient Queue(string name = QueueNames.Reconcile) => new(fixture.World.Settings["AzureWebJobsStorage"], name);

    private static HttpRequestMessage Get(string path, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://host" + path));
        if (apiKey is not null)
        {
            request.Headers.Add(ApiAccess.ApiKeyHeader, apiKey);
        }

        return request;
    }

    [Theory]
    [InlineData("{\"not\":\"a job\"")]
    [InlineData("bm90IGpzb24=")]
    [InlineData("")]
    public async Task A_Malformed_Queue_Message_Fails_Its_Invocation_Without_Leaking_And_The_Worker_Lives_On(string text)
    {
        var response = await fixture.Host.InvokeQueueAsync("reconcile", text, dequeueCount: 1, "malformed-1", DateTimeOffset.UtcNow);

        // Failing is the only answer the host understands: it retries, then moves the message to the poison queue.
        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("not a reconcile job", response.Result.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WorkerWorld.WebhookSecret, response.Result.Exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WorkerWorld.ApiKey, response.Result.Exception.ToString(), StringComparison.Ordinal);
        Assert.True(fixture.Host.IsRunning);
        var next = await fixture.Host.InvokeQueueAsync("poison", text, dequeueCount: 1, "malformed-2", DateTimeOffset.UtcNow);
        Assert.Equal(StatusResult.Types.Status.Failure, next.Result.Status);
    }

    [Fact]
    public async Task A_Timer_Tick_Enqueues_One_Drift_Check_For_The_Due_Environment_On_The_Drift_Queue()
    {
        fixture.World.CommitEnvironment("rg-drift", "platform");
        var queue = Queue(QueueNames.Drift);
        var reconcile = Queue();
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
        await reconcile.CreateIfNotExistsAsync();
        await reconcile.ClearMessagesAsync();

        var response = await fixture.Host.InvokeTimerAsync("drift", isPastDue: true);
        var messages = (await queue.PeekMessagesAsync(32)).Value;
        var onReconcile = (await reconcile.PeekMessagesAsync(32)).Value;

        // Nobody listens in this test: the job is removed so that no later test of the collection runs it.
        await queue.ClearMessagesAsync();

        Assert.Equal(StatusResult.Types.Status.Success, response.Result.Status);
        Assert.Empty(onReconcile);
        var job = ReconcileJobJson.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single(messages).MessageText)));
        Assert.Equal(RunTrigger.Drift, job.Trigger);
        Assert.Equal("app/dev", job.EnvironmentKey);
    }

    [Fact]
    public async Task A_Retention_Tick_Runs_One_Recorded_Cleanup_Pass()
    {
        var container = new Azure.Storage.Blobs.BlobContainerClient(fixture.World.Settings["AzureWebJobsStorage"], fixture.World.Container);
        await container.CreateIfNotExistsAsync();
        var before = await CountAsync(container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, GitOps.Storage.Retention.RetentionCleaner.PassPrefix, CancellationToken.None));

        var response = await fixture.Host.InvokeTimerAsync("retention", isPastDue: false);

        Assert.Equal(StatusResult.Types.Status.Success, response.Result.Status);
        Assert.Equal(before + 1, await CountAsync(container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, GitOps.Storage.Retention.RetentionCleaner.PassPrefix, CancellationToken.None)));
    }

    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> items)
    {
        var count = 0;
        await foreach (var _ in items)
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task The_Api_Refuses_A_Caller_Without_The_Api_Key_And_Answers_One_With_It()
    {
        var (refused, refusedInvocation) = await fixture.Host.InvokeHttpAsync("api", Get("/api/environments"), new Dictionary<string, string> { ["area"] = "environments" });
        var (wrong, _) = await fixture.Host.InvokeHttpAsync("api", Get("/api/runs", "not-the-key"), new Dictionary<string, string> { ["area"] = "runs" });
        var (allowed, allowedInvocation) = await fixture.Host.InvokeHttpAsync("api", Get("/api/environments", WorkerWorld.ApiKey), new Dictionary<string, string> { ["area"] = "environments" });

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(StatusResult.Types.Status.Success, refusedInvocation.Result.Status);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.IsType<JsonArray>(JsonNode.Parse(await allowed.Content.ReadAsStringAsync()));
        Assert.Equal(StatusResult.Types.Status.Success, allowedInvocation.Result.Status);
    }

    [Fact]
    public async Task The_Status_Page_Is_Html_That_May_Run_No_Script()
    {
        var (page, _) = await fixture.Host.InvokeHttpAsync("status", Get("/api/status?code=function-key", WorkerWorld.ApiKey));
        var (refused, _) = await fixture.Host.InvokeHttpAsync("status", Get("/api/status"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'none'", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_Webhook_With_A_Bad_Signature_Is_401_And_Enqueues_Nothing()
    {
        var queue = Queue();
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
        var (body, headers) = WorkerWorld.GitHubPush(fixture.World.Repository.Url, new string('0', 40), new string('1', 40), ["envs/dev/rg.yaml"], secret: "a guessed secret");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://host/api/webhook/github")) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var (response, invocation) = await fixture.Host.InvokeHttpAsync("webhook", request, new Dictionary<string, string> { ["provider"] = "github" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(StatusResult.Types.Status.Success, invocation.Result.Status);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task A_Request_Reaching_The_Worker_Listener_Without_The_Hosts_Invocation_Id_Runs_No_Function()
    {
        using var http = new HttpClient();
        using var direct = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Host.HttpUri, "/api/environments"));
        direct.Headers.Add(ApiAccess.ApiKeyHeader, WorkerWorld.ApiKey);

        using var response = await http.SendAsync(direct);

        // Only the host knows invocation ids: a caller on the worker's port gets an error, never the api's answer.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(fixture.Host.IsRunning);
    }
}
