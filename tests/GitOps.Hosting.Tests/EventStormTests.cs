using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>A storm of out-of-band changes to one environment: a handful of scoped runs, each reading a resource once.</summary>
[Collection(HostingCollection.EventStorm)]
[Trait("Category", "Integration")]
public sealed class EventStormTests(AzuriteFixture azurite, ArmSimulatorFixture arm, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Groups = 100;
    private const int Events = 1000;
    private static readonly TimeSpan StormLength = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_Thousand_Events_In_Ten_Seconds_Make_A_Handful_Of_Runs_That_Read_Each_Touched_Resource_Once()
    {
        using var world = new TestWorld(azurite, arm);
        world.RouteEvents();
        world.Repository.WriteFile("gitops.yaml", $"""
            version: 1
            environments:
              - name: dev
                path: envs/dev
                branch: main
                subscriptionId: {world.SubscriptionId}
                drift: {"{"} interval: 12h, mode: correct {"}"}
            """);
        for (var i = 0; i < Groups; i++)
        {
            world.WriteResourceGroup("envs/dev", $"rg-{i:D3}");
        }

        var commit = world.Repository.Commit("a hundred groups");
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?>
        {
            ["GitOps:Events:CoalesceWindow"] = "00:00:02",
            ["GitOps:Queue:BatchSize"] = "16",
            ["GitOps:Queue:NewBatchThreshold"] = "8",
        });
        using var reconcile = Listeners.Reconcile(runtime);
        using var drift = Listeners.Drift(runtime);
        using var events = Listeners.Events(runtime);
        await reconcile.StartAsync(CancellationToken.None);
        await drift.StartAsync(CancellationToken.None);
        await events.StartAsync(CancellationToken.None);
        try
        {
            await runtime.Storage.Jobs.EnqueueAsync(TestWorld.PushJob(commit));
            await Poll.UntilAsync(() => runtime.Storage.States.GetAsync("app/dev"), s => s?.State.LastApplied?.Sha == commit, Deadline, "the apply of the hundred groups");
            await world.Arm.State.FlushEventsAsync(world.SubscriptionId, Deadline);
            await Poll.UntilAsync(() => runtime.Storage.EventsQueue.GetApproximateMessageCountAsync(), c => c == 0, Deadline, "the apply's own events to drain");
            var stormStart = DateTimeOffset.UtcNow;

            // 1,000 portal changes at an even pace over ten seconds, ten per resource group.
            var touched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var e = 0; e < Events; e++)
            {
                var id = $"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-{e % Groups:D3}";
                touched.Add(id);
                Assert.True(world.Arm.State.SetOutOfBand(id, new JsonObject { ["tags"] = new JsonObject { ["owner"] = $"storm-{e}" } }, by: "storm@contoso.com"));
                var due = stormStart + (StormLength * (e + 1) / Events);
                if (due > DateTimeOffset.UtcNow)
                {
                    await Task.Delay(due - DateTimeOffset.UtcNow);
                }
            }

            await world.Arm.State.FlushEventsAsync(world.SubscriptionId, Deadline);

            // Settled: every group is back to git, nothing is waiting, and no run is left to start.
            await Poll.UntilAsync(
                async () => (Live: touched.Count(id => world.Arm.State.GetResource(id)?["tags"]?["owner"]?.GetValue<string>() == "platform"),
                    Events: await runtime.Storage.EventsQueue.GetApproximateMessageCountAsync(),
                    Jobs: await runtime.Storage.Queue.GetApproximateMessageCountAsync() + await runtime.Storage.DriftQueue.GetApproximateMessageCountAsync(),
                    Inbox: (await runtime.Storage.Inbox.ReadAsync("app", "dev", 10)).Count),
                s => s.Live == Groups && s.Events == 0 && s.Jobs == 0 && s.Inbox == 0,
                Deadline,
                "the storm to be corrected");

            var runs = (await runtime.Storage.Runs.ListAsync("app/dev", 200))
                .Where(r => r.Trigger == RunTrigger.Drift && r.Outcome != RunOutcome.Running)
                .OrderBy(r => r.StartedAt)
                .ToList();
            Assert.InRange(runs.Count, 2, 10);
            Assert.All(runs, r => Assert.True(r.Outcome is RunOutcome.Applied or RunOutcome.NoChanges, $"{r.Outcome}: {r.Summary}"));
            Assert.All(runs, r => Assert.NotNull(r.Scope));

            var reads = world.Arm.State.Requests.Where(r => r.SubscriptionId == world.SubscriptionId && r.Method == "GET" && r.Time >= stormStart).ToList();
            output.WriteLine($"{Events} events on {Groups} groups in {StormLength.TotalSeconds:0} s: {runs.Count} drift runs observing {string.Join(", ", runs.Select(r => r.Scope!.ObservedCount))} resources; {reads.Count} GETs.");
            foreach (var run in runs)
            {
                var inRun = reads.Where(r => r.Time >= run.StartedAt && r.Time <= run.FinishedAt).Select(r => r.Path).ToList();

                // At most one GET per touched resource in a run, and only of the resources it observed.
                Assert.Equal(inRun.Count, inRun.Distinct(StringComparer.OrdinalIgnoreCase).Count());
                Assert.Equal(run.Scope!.ObservedCount, inRun.Count);
                Assert.All(inRun, path => Assert.Contains(path, touched));
            }

            // Far fewer reads than events: each run read the groups changed since the run before, once.
            Assert.Equal(reads.Count, runs.Sum(r => r.Scope!.ObservedCount));
            Assert.True(reads.Count <= runs.Count * Groups, $"{reads.Count} reads");
            Assert.True(reads.Count < Events, $"{reads.Count} reads for {Events} events");
            Assert.All(runs.Where(r => r.ChangedBy is not null), r => Assert.All(r.ChangedBy!, c => Assert.Equal("storm@contoso.com (portal)", c.Actor.Display)));
        }
        finally
        {
            await events.StopAsync(CancellationToken.None);
            await drift.StopAsync(CancellationToken.None);
            await reconcile.StopAsync(CancellationToken.None);
        }
    }
}
