using GitOps.ArmSimulator;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Issue 11 item 6 through the real listener, queue (Azurite) and ARM (the simulator): a provider asking for time
/// re-enqueues the job after the wait, as a new message, so waiting never climbs to the poison limit.
/// </summary>
// With the other classes that change the shared simulator's faults: it clears them all when it ends.
[Collection(HostingCollection.ArmFaults)]
[Trait("Category", "Integration")]
public sealed class RetryAfterEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    // The wait the engine uses (GitOps__RetryAfterMaximum caps the simulator's 120 s): short enough for a test, long
    // enough that a message retried at the queue's 1 s visibility timeout would show up well before it.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_Provider_Asking_For_Time_Reenqueues_The_Job_After_The_Wait_Without_Climbing_To_Poison()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?> { ["GitOps:RetryAfterMaximum"] = "00:00:03" });

        // More throttled runs than the queue's MaxDequeueCount (3): counted as deliveries, the third would be poisoned.
        // Retry-After beyond the ARM client's own retry delay, so the client hands it to the engine at once.
        const int throttled = 4;
        arm.State.AddFault(new ArmFaultRule
        {
            Method = "PUT",
            PathPattern = $"*/subscriptions/{world.SubscriptionId}/*",
            StatusCode = 503,
            RetryAfter = TimeSpan.FromSeconds(120),
            Count = throttled,
        });
        using var listener = Listeners.Reconcile(runtime);
        using var poison = Listeners.Poison(runtime);
        var job = TestWorld.PushJob(commit);
        try
        {
            await listener.StartAsync(CancellationToken.None);
            await poison.StartAsync(CancellationToken.None);
            await runtime.Storage.Jobs.EnqueueAsync(job);

            var runs = await Poll.UntilAsync(
                async () => (await runtime.Storage.Runs.ListAsync("app/dev", 100)).Where(r => r.Outcome != RunOutcome.Running).OrderBy(r => r.StartedAt).ToList(),
                r => r.Count == throttled + 1,
                Deadline,
                "the throttled runs and the run that applies");

            Assert.Equal([.. Enumerable.Repeat(RunOutcome.Failed, throttled), RunOutcome.Applied], runs.Select(r => r.Outcome));
            Assert.All(runs, r => Assert.Equal((job.JobId, commit, RunTrigger.Push, 1), (r.JobId, r.RequestedCommit, r.Trigger, r.Attempt)));
            Assert.All(runs.Take(throttled), r => Assert.Contains("Throttled", r.Summary, StringComparison.Ordinal));
            for (var i = 1; i < runs.Count; i++)
            {
                // Visible after the wait, not before: the next run starts no sooner than the wait after the record of
                // the previous one (its message was sent after that record). A little slack for clock granularity.
                var gap = runs[i].StartedAt - runs[i - 1].FinishedAt!.Value;
                Assert.True(gap >= Wait - TimeSpan.FromMilliseconds(250), $"run {i} started {gap} after run {i - 1} finished");
            }

            Assert.Equal(throttled + 1, world.Writes().Count(w => w.Method == "PUT" && w.Path.EndsWith("/resourceGroups/rg-dev", StringComparison.OrdinalIgnoreCase)));
            // The last run is listed before the listener deletes its message (the record is written inside the handler).
            var left = await Poll.UntilAsync(
                async () => (await runtime.Storage.Queue.GetPoisonQueueClient().GetApproximateMessageCountAsync(), await runtime.Storage.Queue.GetApproximateMessageCountAsync()),
                c => c == (0, 0),
                Deadline,
                "the applied job's message to be deleted");
            Assert.Equal((0L, 0L), left);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
            await poison.StopAsync(CancellationToken.None);
            arm.State.ClearFaults();
        }
    }
}
