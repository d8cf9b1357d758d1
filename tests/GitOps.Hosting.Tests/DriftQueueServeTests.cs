using GitOps.ArmSimulator;
using GitOps.Core.Runs;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Hosting.Tests;

/// <summary>
/// <c>gitops serve</c> listens on the drift queue and its poison queue as well as the reconcile queue, each with its own
/// slots: a drift check that takes its time never keeps a push waiting. In <see cref="HostingCollection.ArmFaults"/>
/// because one test slows the simulator down with a fault rule.
/// </summary>
[Collection(HostingCollection.ArmFaults)]
[Trait("Category", "Integration")]
public sealed class DriftQueueServeTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // One slot per queue, so that a held drift slot would hold everything if both kinds of job shared a queue.
    private static async Task<WebApplication> ServeAsync(TestWorld world)
    {
        var values = world.Values.ToDictionary(v => v.Key.Replace(":", "__", StringComparison.Ordinal), v => v.Value);
        values["GitOps__Queue__BatchSize"] = "1";
        values["GitOps__Queue__NewBatchThreshold"] = "0";
        values["GitOps__DriftSchedule"] = "0 0 0 1 1 *";
        var app = await ServeHost.BuildAsync(SettingsSources.Build(null, values), "http://127.0.0.1:0");
        await app.StartAsync();
        return app;
    }

    private static async Task<IReadOnlyList<RunRecord>> RunsAsync(GitOpsRuntime runtime, string environment) =>
        await runtime.Storage.Runs.ListAsync($"app/{environment}", 50);

    private static Task<IReadOnlyList<RunRecord>> FinishedAsync(GitOpsRuntime runtime, string environment, Func<RunRecord, bool> wanted, string what) =>
        Poll.UntilAsync(() => RunsAsync(runtime, environment), r => r.Any(x => x.Outcome != RunOutcome.Running && wanted(x)), Deadline, what);

    [Fact]
    public async Task A_Push_Is_Applied_While_The_Only_Drift_Slot_Is_Held_By_A_Slow_Drift_Check()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var app = await ServeAsync(world);
        await using (app)
        {
            var runtime = app.Services.GetRequiredService<GitOpsRuntime>();
            try
            {
                await runtime.Storage.Jobs.EnqueueAsync(TestWorld.PushJob(commit, "dev"));
                await runtime.Storage.Jobs.EnqueueAsync(TestWorld.PushJob(commit, "prod"));
                await FinishedAsync(runtime, "dev", r => r.Outcome == RunOutcome.Applied, "dev's first apply");
                await FinishedAsync(runtime, "prod", r => r.Outcome == RunOutcome.Applied, "prod's first apply");

                // dev's drift check hangs on its first read for 15 s, in the drift listener's only slot.
                arm.State.AddFault(new ArmFaultRule { Method = "GET", PathPattern = $"*/subscriptions/{world.SubscriptionId}/resourceGroups/rg-dev", StatusCode = 503, Count = 1, Latency = TimeSpan.FromSeconds(15) });
                await runtime.Storage.Jobs.EnqueueAsync(TestWorld.PushJob(commit, "dev") with { Commit = null, Trigger = RunTrigger.Drift });
                await Poll.UntilAsync(() => RunsAsync(runtime, "dev"), r => r.Any(x => x.Trigger == RunTrigger.Drift && x.Outcome == RunOutcome.Running), Deadline, "dev's drift check to start");

                world.WriteResourceGroup("envs/prod", "rg-prod", tag: "team-a");
                var change = world.Repository.Commit("prod owned by team-a");
                await runtime.Storage.Jobs.EnqueueAsync(TestWorld.PushJob(change, "prod"));
                var push = (await FinishedAsync(runtime, "prod", r => r.Commit?.Sha == change, "prod's push")).First(r => r.Commit?.Sha == change);

                Assert.Equal(RunOutcome.Applied, push.Outcome);
                var drift = (await RunsAsync(runtime, "dev")).First(r => r.Trigger == RunTrigger.Drift);
                Assert.True(drift.Outcome == RunOutcome.Running, $"the push waited for dev's drift check, which ended {drift.Outcome}");

                // The drift check was held, not dropped: it finishes once its read is answered (and retried).
                var finished = (await FinishedAsync(runtime, "dev", r => r.RunId == drift.RunId, "dev's drift check to finish")).First(r => r.RunId == drift.RunId);
                Assert.Equal(RunOutcome.NoChanges, finished.Outcome);
                Assert.True(finished.FinishedAt > push.FinishedAt);
            }
            finally
            {
                arm.State.ClearFaults();
                await app.StopAsync();
            }
        }
    }

    [Fact]
    public async Task A_Drift_Job_That_Failed_On_Every_Delivery_Is_Recorded_From_The_Drift_Poison_Queue()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var app = await ServeAsync(world);
        await using (app)
        {
            var runtime = app.Services.GetRequiredService<GitOpsRuntime>();
            try
            {
                var job = TestWorld.PushJob("0123456789abcdef0123456789abcdef01234567", "prod") with { Commit = null, Trigger = RunTrigger.Drift };
                var poison = runtime.Storage.DriftQueue.GetPoisonQueueClient();
                Assert.Equal(world.Queue + "-drift-poison", poison.Name);
                await poison.CreateIfNotExistsAsync();
                await poison.SendMessageAsync(ReconcileJobJson.Serialize(job), null, null);

                var runs = await FinishedAsync(runtime, "prod", r => r.JobId == job.JobId, "the poisoned drift job's record");
                var run = runs.Single(r => r.JobId == job.JobId);
                Assert.Equal(RunOutcome.Failed, run.Outcome);
                Assert.Equal(RunTrigger.Drift, run.Trigger);
                await Poll.UntilAsync(() => poison.GetApproximateMessageCountAsync(), c => c == 0, Deadline, "the poison message to be consumed");
            }
            finally
            {
                await app.StopAsync();
            }
        }
    }
}
