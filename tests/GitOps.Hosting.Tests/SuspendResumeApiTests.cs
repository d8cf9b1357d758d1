using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary><c>POST /api/environments/{repo}/{env}/suspend|resume</c> against Azurite, the simulator and a real git repository.</summary>
[Collection(HostingCollection.SuspendResumeApi)]
[Trait("Category", "Integration")]
public sealed class SuspendResumeApiTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private const string DaveKey = "key-of-dave-for-tests";

    private static Task<ApiServer> StartAsync(GitOpsRuntime runtime) =>
        ApiServer.StartAsync(runtime, ApiAccess.Standalone([new NamedApiKey("dave", DaveKey)]));

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient client, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(ApiAccess.ApiKeyHeader, DaveKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Suspend_Records_Who_Why_When_A_Suspended_Run_Writes_Nothing_And_Resume_Enqueues_A_Reconcile()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await StartAsync(runtime);
        var client = server.Client;

        var (status, suspended) = await PostAsync(client, "/api/environments/app/dev/suspend", new { reason = "incident 42", until = "2099-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Suspended by api-key:dave: incident 42 (until 2099-01-01 00:00 UTC)", suspended!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        var state = (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State;
        Assert.Equal(("incident 42", "api-key:dave", DateTimeOffset.Parse("2099-01-01T00:00:00Z")), (state.Suspension!.Reason, state.Suspension.By, state.Suspension.Until!.Value));
        Assert.NotNull(state.Suspension.Since);

        var run = await runtime.Reconciler.ReconcileAsync(new ReconcileJob { JobId = "j1", Repository = "app", Environment = "dev", Commit = commit, Trigger = RunTrigger.Push, EnqueuedAt = DateTimeOffset.UtcNow });
        Assert.Equal(RunOutcome.Suspended, run.Run!.Outcome);
        Assert.Empty(world.Writes());
        Assert.NotNull((await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.Suspension);

        (status, var resumed) = await PostAsync(client, "/api/environments/app/dev/resume");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Null((await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.Suspension);
        var job = ReconcileJobJson.Parse(Assert.Single(await runtime.Storage.Queue.PeekMessagesAsync(32)).Text!);
        Assert.Equal((resumed!["jobId"]!.GetValue<string>(), "app/dev", RunTrigger.Manual, (string?)null, "api-key:dave"), (job.JobId, job.EnvironmentKey, job.Trigger, job.Commit, job.RequestedBy));

        var applied = await runtime.Reconciler.ReconcileAsync(job);
        Assert.Equal(RunOutcome.Applied, applied.Run!.Outcome);
        Assert.NotEmpty(world.Writes());

        // History: the suspension, the suspended run, the resume and the applying run, newest first.
        var history = await runtime.Storage.Runs.ListAsync("app/dev", 10);
        Assert.Equal([RunOutcome.Applied, RunOutcome.Resumed, RunOutcome.Suspended, RunOutcome.Suspended], history.Select(r => r.Outcome));
        Assert.Equal(("api-key:dave", RunTrigger.Manual), (history[1].RequestedBy, history[1].Trigger));
        Assert.Contains("suspended by api-key:dave: incident 42", history[1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspend_Without_A_Reason_Or_With_A_Bad_Until_Is_400_And_Changes_Nothing()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await StartAsync(runtime);
        var client = server.Client;

        var (status, body) = await PostAsync(client, "/api/environments/app/dev/suspend", new { until = "2099-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("reason", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "/api/environments/app/dev/suspend")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "/api/environments/app/dev/suspend", new { reason = "x", until = "next tuesday" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "/api/environments/app/dev/suspend", new { reason = "x", until = "2001-01-01T00:00:00Z" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(client, "/api/environments/nope/dev/suspend", new { reason = "x" })).Status);
        Assert.Null(await runtime.Storage.States.GetAsync("app/dev"));
        Assert.Empty(await runtime.Storage.Runs.ListAsync("app/dev", 10));

        (status, _) = await PostAsync(client, "/api/environments/app/dev/suspend", new { reason = "freeze", by = "erin" });
        Assert.Equal(HttpStatusCode.OK, status);
        // 'by' in the body is a note, never the actor.
        Assert.Equal("api-key:dave", (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.Suspension!.By);
        Assert.Contains("Suspended by api-key:dave (note: erin): freeze", (await runtime.Storage.Runs.ListAsync("app/dev", 1))[0].Summary, StringComparison.Ordinal);
    }
}
