using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;

namespace GitOps.Functions.Tests;

/// <summary>The HTTP functions as the host forwards them (enableForwardingHttpRequest): original path, raw body, all headers.</summary>
[Collection(HandlerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ForwardedHttpTests(HandlerFixture fixture)
{
    private byte[] PushBody(string deliveryMarker) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["ref"] = "refs/heads/main",
        ["before"] = "0000000000000000000000000000000000000001",
        ["after"] = fixture.Head,
        ["repository"] = new JsonObject
        {
            ["full_name"] = HandlerFixture.FullName,
            ["clone_url"] = "https://github.com/acme/infra.git",
        },
        ["pusher"] = new JsonObject { ["name"] = "ada" },
        ["commits"] = new JsonArray(new JsonObject
        {
            ["id"] = fixture.Head,
            ["message"] = deliveryMarker,
            ["added"] = new JsonArray(),
            ["modified"] = new JsonArray("envs/prod/rg.yaml"),
            ["removed"] = new JsonArray(),
        }),
    }.ToJsonString());

    private async Task<(HttpStatusCode Status, JsonObject Body)> ForwardAsync(byte[] body, string signature, string deliveryId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhook/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256", signature);
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/abc123");

        // Added by the host when it forwards the request.
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0.0");
        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    private static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    // The environments' jobs after the fan-out step ran on the push jobs the webhook queued (as the reconcile function does).
    private async Task<IReadOnlyList<ReconcileJob>> QueuedJobsAsync()
    {
        foreach (var message in await fixture.Runtime.Storage.Queue.PeekMessagesAsync(32))
        {
            if (PushJobJson.TryParse(message.Text ?? message.RawText) is { } push)
            {
                await fixture.Runtime.FanOut.RunAsync(push);
            }
        }

        return (await fixture.Runtime.Storage.Queue.PeekMessagesAsync(32))
            .Where(m => PushJobJson.TryParse(m.Text ?? m.RawText) is null)
            .Select(m => ReconcileJobJson.Parse(m.Text ?? m.RawText))
            .ToList();
    }

    [Fact]
    public async Task Signed_GitHub_Push_Answers_202_And_Enqueues_The_Changed_Environment()
    {
        var deliveryId = Guid.NewGuid().ToString();
        var body = PushBody(deliveryId);

        var (status, json) = await ForwardAsync(body, Sign(body, HandlerFixture.WebhookSecret), deliveryId);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("accepted", json["status"]!.GetValue<string>());
        var job = Assert.Single(await QueuedJobsAsync(), j => j.DeliveryId == deliveryId);
        Assert.Equal(("prod", fixture.Head, RunTrigger.Push), (job.Environment, job.Commit, job.Trigger));
    }

    [Fact]
    public async Task Bad_Signature_Answers_401_And_Enqueues_Nothing()
    {
        var deliveryId = Guid.NewGuid().ToString();
        var body = PushBody(deliveryId);

        var (status, json) = await ForwardAsync(body, Sign(body, "not-the-secret"), deliveryId);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", json["status"]!.GetValue<string>());
        Assert.DoesNotContain(HandlerFixture.WebhookSecret, json.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(await QueuedJobsAsync(), j => j.DeliveryId == deliveryId);
    }

    [Fact]
    public async Task Readiness_Probe_Answers_At_Once()
    {
        using var response = await fixture.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Api_Runs_Answers_Json_Under_The_Route_Prefix()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs?max=5&code=function-key-the-host-already-checked");
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());

        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.IsType<JsonArray>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Api_Records_The_Function_Key_As_The_Actor_And_Ignores_Principal_Headers_Without_App_Service_Authentication()
    {
        async Task<(HttpStatusCode Status, JsonObject Body)> SyncAsync(string environment)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/environments/{HandlerFixture.RepositoryName}/{environment}/sync?code=function-key-the-host-already-checked")
            {
                Content = new StringContent("{\"by\":\"mallory\"}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());

            // Without App Service Authentication nothing strips these, so anyone could send them.
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "mallory@contoso.com");
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ID", "00000000-0000-0000-0000-0000000bad00");
            using var response = await fixture.Client.SendAsync(request);
            return (response.StatusCode, Assert.IsType<JsonObject>(JsonNode.Parse(await response.Content.ReadAsStringAsync())));
        }

        var (status, body) = await SyncAsync("staging");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("function key", body["by"]!.GetValue<string>());
        var job = Assert.Single(await QueuedJobsAsync(), j => j.JobId == body["jobId"]!.GetValue<string>());
        Assert.Equal("function key", job.RequestedBy);

        var jobs = (await QueuedJobsAsync()).Count;
        Assert.Equal(HttpStatusCode.NotFound, (await SyncAsync("undeclared")).Status);
        Assert.Equal(jobs, (await QueuedJobsAsync()).Count);
    }
}
