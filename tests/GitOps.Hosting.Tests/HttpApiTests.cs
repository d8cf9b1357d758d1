using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Hosting.Http;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;

namespace GitOps.Hosting.Tests;

[Collection(HostingCollection.HttpApi)]
[Trait("Category", "Integration")]
public sealed class HttpApiTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(HttpClient client, string path, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient client, string path, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("x-requested-by", "dave");   // ignored: the actor is the authenticated caller
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Api_Lists_Environments_And_Runs_Serves_A_Run_And_Enqueues_A_Manual_Sync()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        var applied = await runtime.Reconciler.ReconcileAsync(new ReconcileJob { JobId = "j1", Repository = "app", Environment = "dev", Commit = commit, Trigger = RunTrigger.Push, EnqueuedAt = DateTimeOffset.UtcNow });
        await using var server = await ApiServer.StartAsync(runtime);
        var client = server.Client;

        var (status, environments) = await GetAsync(client, "/api/environments");
        Assert.Equal(HttpStatusCode.OK, status);
        var dev = Assert.Single(environments!.AsArray());
        Assert.Equal("app/dev", dev!["environmentKey"]!.GetValue<string>());
        Assert.Equal(1, dev["resources"]!.GetValue<int>());

        (status, var runs) = await GetAsync(client, "/api/runs");
        Assert.Equal(HttpStatusCode.OK, status);
        var listed = Assert.Single(runs!.AsArray());
        Assert.Equal(applied.Run!.RunId, listed!["runId"]!.GetValue<string>());
        Assert.Null(listed["plan"]);

        (status, var run) = await GetAsync(client, $"/api/runs/{applied.Run.RunId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(run!["plan"]);
        Assert.Equal(commit, run["commit"]!["sha"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, "/api/runs/no-such-run")).Status);

        // The run changed something: its full plan (every change and result) is kept beside the record and linked from it.
        Assert.Equal($"plans/app/dev/{applied.Run.RunId}.json", run["fullPlan"]!.GetValue<string>());
        (status, var plan) = await GetAsync(client, $"/api/runs/{applied.Run.RunId}/plan");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(applied.Run.RunId, plan!["runId"]!.GetValue<string>());
        Assert.NotEmpty(plan["plan"]!["changes"]!.AsArray());
        Assert.NotEmpty(plan["results"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, "/api/runs/no-such-run/plan")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/environments/app/dev")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, "/api/environments/app/prod")).Status);
        Assert.Single((await GetAsync(client, "/api/environments/app/dev/runs")).Body!.AsArray());

        (status, var sync) = await PostAsync(client, "/api/environments/app/prod/sync");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var queued = Assert.Single(await runtime.Storage.Queue.PeekMessagesAsync(32));
        var job = ReconcileJobJson.Parse(queued.Text!);
        Assert.Equal((sync!["jobId"]!.GetValue<string>(), "app/prod", RunTrigger.Manual, (string?)null, ApiAccess.LoopbackActor), (job.JobId, job.EnvironmentKey, job.Trigger, job.Commit, job.RequestedBy));

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(client, "/api/environments/nope/prod/sync")).Status);
        Assert.Single(await runtime.Storage.Queue.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task Invalid_Environment_Names_In_The_Url_Are_400_Not_500_And_Enqueue_Nothing()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await ApiServer.StartAsync(runtime);
        var client = server.Client;

        var (status, body) = await GetAsync(client, "/api/environments/app/a%20b");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("repository/environment", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(client, "/api/environments/app/a%20b/runs")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(client, "/api/runs?environment=not-a-key")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "/api/environments/app/a%20b/sync")).Status);
        Assert.Empty(await runtime.Storage.Queue.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task With_An_Api_Key_The_Api_Requires_It_And_The_Webhook_Does_Not()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        const string Key = "api-key-for-tests";
        await using var server = await ApiServer.StartAsync(runtime, Key);
        var client = server.Client;

        var (status, body) = await GetAsync(client, "/api/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain(Key, body!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/runs", "wrong")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(client, "/api/environments/app/dev/sync")).Status);
        Assert.Empty(await runtime.Storage.Queue.PeekMessagesAsync(32));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/runs", Key)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(client, "/api/environments/app/dev/sync", Key)).Status);

        // The webhook authenticates itself by signature, without the key.
        var ping = Encoding.UTF8.GetBytes("{\"zen\":\"Design for failure.\"}");
        using var response = await client.SendAsync(Deliveries.Request(ping, Deliveries.GitHubHeaders(ping, TestWorld.WebhookSecret, @event: "ping")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ServeHost_Starts_Syncs_Through_The_Api_Records_The_Run_And_Stops_Promptly()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var configuration = SettingsSources.Build(null, world.Values.Select(v => new KeyValuePair<string, string?>(v.Key.Replace(":", "__", StringComparison.Ordinal), v.Value)).ToDictionary());
        var app = await ServeHost.BuildAsync(configuration, "http://127.0.0.1:0");
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = ApiServer.Address(app), Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
            var (status, _) = await PostAsync(client, "/api/environments/app/dev/sync");
            Assert.Equal(HttpStatusCode.Accepted, status);
            // The drift timer (every second here) also finds dev due, and may check it before or after the sync:
            // whichever runs first applies the commit and the other finds nothing to change. So the test waits for the
            // manual run itself rather than for the newest run.
            static string Text(JsonNode? run, string name) => run![name]!.GetValue<string>();
            var runs = await Poll.UntilAsync(
                async () => (await GetAsync(client, "/api/environments/app/dev/runs")).Body!.AsArray(),
                r => r.Any(x => Is(Text(x, "trigger"), "manual") && !Is(Text(x, "outcome"), "running")),
                TimeSpan.FromSeconds(30),
                "the manual sync's run");
            var manual = runs.First(x => Is(Text(x, "trigger"), "manual"));
            Assert.Contains(Text(manual, "outcome"), new[] { "applied", "noChanges" }, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(commit, manual!["commit"]!["sha"]!.GetValue<string>());
            Assert.Contains(runs, x => Is(Text(x, "outcome"), "applied") && x!["commit"]!["sha"]!.GetValue<string>() == commit);

            // The drift timer runs every second in this configuration: prod (never reconciled) gets a drift job.
            await Poll.UntilAsync(
                async () => (await GetAsync(client, "/api/environments/app/prod/runs")).Body!.AsArray(),
                r => r.Any(x => string.Equals(x!["trigger"]!.GetValue<string>(), "drift", StringComparison.OrdinalIgnoreCase)),
                TimeSpan.FromSeconds(30),
                "a drift run of prod");

            // The same metrics as the worker, on a Prometheus scrape (serve's own registry: only its runs count).
            var scrape = await Poll.UntilAsync(() => client.GetStringAsync(ServeHost.MetricsPath), m => m.Contains("gitops_runs", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the runs counter on /metrics");
            Assert.Contains("gitops_run_duration", scrape, StringComparison.Ordinal);
            Assert.Contains("gitops_queue_age", scrape, StringComparison.Ordinal);
        }
        finally
        {
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        }
    }

    private static bool Is(string value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
