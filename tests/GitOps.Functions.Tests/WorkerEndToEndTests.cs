using System.Net;
using GitOps.Core.Runs;
using GitOps.Functions.Tests.Harness;
using GitOps.Functions.Tests.Harness.Rpc;
using GitOps.Hosting.Settings;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>
/// Webhook → queue → reconcile → run record through the real worker process, with the host's queue trigger played
/// against Azurite (<see cref="HostQueueListener"/>) and ARM played by the simulator.
/// </summary>
[Collection(WorkerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkerEndToEndTests(WorkerHostFixture fixture)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(90);

    private HostQueueListener Listener(TimeSpan receiveVisibility, string queue = QueueNames.Reconcile, string function = "reconcile") => new(
        () => fixture.Host,
        fixture.World.Settings["AzureWebJobsStorage"],
        queue,
        function,
        HostJsonQueues.Read(fixture.Host.AppDirectory),
        receiveVisibility);

    private async Task<HttpStatusCode> DeliverAsync(string before, string after, string file)
    {
        var (body, headers) = WorkerWorld.GitHubPush(fixture.World.Repository.Url, before, after, [file]);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://host/api/webhook/github")) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        var (response, invocation) = await fixture.Host.InvokeHttpAsync("webhook", request, new Dictionary<string, string> { ["provider"] = "github" });
        Assert.Equal(StatusResult.Types.Status.Success, invocation.Result.Status);
        return response.StatusCode;
    }

    private Task<RunRecord> RunOfAsync(string commit) =>
        Poll.UntilAsync(
            async () => (await fixture.World.RunsAsync()).FirstOrDefault(r => r.Commit?.Sha == commit && r.Outcome == RunOutcome.Applied),
            run => run is not null,
            s_deadline,
            $"an applied run of {commit}").ContinueWith(t => t.Result!, TaskScheduler.Default);

    private bool ArmGotPut(string resourceGroup) =>
        fixture.Arm.State.Requests.Any(r => r.Method == "PUT" && string.Equals(r.SubscriptionId, fixture.World.SubscriptionId, StringComparison.OrdinalIgnoreCase)
            && r.Path.EndsWith("/resourceGroups/" + resourceGroup, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task A_Signed_Push_Goes_Webhook_Queue_Reconcile_To_An_Applied_Run_With_The_Resource_In_Arm()
    {
        var before = fixture.World.Repository.Head();
        var after = fixture.World.CommitEnvironment("rg-e2e", "team-a");
        await using var listener = Listener(TimeSpan.FromMinutes(1));
        await listener.StartAsync();

        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(before, after, "envs/dev/rg-e2e.yaml"));
        var run = await RunOfAsync(after);

        Assert.Equal(RunTrigger.Push, run.Trigger);
        Assert.True(ArmGotPut("rg-e2e"), "ARM never received the resource group's PUT.");

        // Two queue hops: the push job (fan-out) and the environment's job, each deleted after one successful delivery.
        Assert.Contains(listener.Invocations, i => i.Status == StatusResult.Types.Status.Success && i.DequeueCount == 1);
        Assert.DoesNotContain(listener.Invocations, i => i.Status != StatusResult.Types.Status.Success);
    }

    [Fact]
    public async Task A_Worker_Killed_Mid_Invocation_Loses_No_Push_And_A_New_Worker_Completes_It()
    {
        var before = fixture.World.Repository.Head();
        var after = fixture.World.CommitEnvironment("rg-survivor", "team-b");
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconcileId = fixture.Host.Functions["reconcile"].FunctionId;
        var dying = fixture.Host;
        dying.Sent += request =>
        {
            // The machine fails once the host has handed the push job to the worker, before any answer.
            if (request.FunctionId == reconcileId && PushJobJson.TryParse(request.InputData[0].Data.String)?.After == after && killed.TrySetResult())
            {
                _ = dying.KillWorkerAsync();
            }
        };

        // A short visibility: the received message comes back soon after the worker that held it died.
        await using var listener = Listener(TimeSpan.FromSeconds(3));
        await listener.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(before, after, "envs/dev/rg-survivor.yaml"));
        await killed.Task.WaitAsync(s_deadline);
        await Poll.UntilAsync(() => !dying.IsRunning, s_deadline, "the worker to exit");
        await fixture.RestartAsync();

        var run = await RunOfAsync(after);

        Assert.Equal(after, run.Commit!.Sha);
        Assert.True(ArmGotPut("rg-survivor"));
        var lost = listener.Invocations.First(i => i.Status is null);

        // The dying worker may have fanned the push out before it died, so the run can come first; the lost message
        // still comes back once its visibility ends and completes on the new worker.
        await Poll.UntilAsync(
            () => listener.Invocations.Any(i => i.MessageId == lost.MessageId && i.DequeueCount > lost.DequeueCount && i.Status == StatusResult.Types.Status.Success),
            s_deadline, "the lost message to be delivered again and complete");
    }

    [Fact]
    public async Task A_Drift_Job_Delivered_On_The_Drift_Queue_Is_Run_By_The_Reconcile_Drift_Function()
    {
        var world = fixture.World;
        var commit = world.CommitEnvironment("rg-drift-queue", "platform");
        var job = ReconcileJob.Create("app", "dev", RunTrigger.Drift, commit: null, DateTimeOffset.UtcNow);
        await using var listener = Listener(TimeSpan.FromMinutes(1), QueueNames.Drift, "reconcile-drift");
        await listener.StartAsync();

        // Sent as the drift timer and the events function send it: through the job queue, which routes it by trigger.
        var storage = new GitOps.Storage.Reconcile.GitOpsStorage(
            GitOps.Storage.StorageConnection.FromSettings("AzureWebJobsStorage", name => world.Settings.GetValueOrDefault(name)),
            new GitOps.Storage.Reconcile.GitOpsStorageOptions { ContainerName = world.Container });
        await storage.Jobs.EnqueueAsync(job);
        var run = await Poll.UntilAsync(
            async () => (await world.RunsAsync()).FirstOrDefault(r => r.JobId == job.JobId && r.Outcome != RunOutcome.Running),
            r => r is not null,
            s_deadline,
            "the drift run");

        Assert.Equal(RunTrigger.Drift, run!.Trigger);
        Assert.True(run.Outcome is RunOutcome.Applied or RunOutcome.NoChanges, $"{run.Outcome}: {run.Summary}");
        Assert.Equal(commit, run.Commit!.Sha);
        Assert.NotNull(fixture.Arm.State.GetResource($"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-drift-queue"));

        // The run is recorded before its invocation answers: wait for the answer, one delivery that succeeded.
        await Poll.UntilAsync(() => listener.Invocations.Any(i => i.Status == StatusResult.Types.Status.Success), s_deadline, "the reconcile-drift invocation to succeed");
        var done = Assert.Single(listener.Invocations);
        Assert.Equal(1, done.DequeueCount);
        Assert.Equal(StatusResult.Types.Status.Success, done.Status);
    }
}
