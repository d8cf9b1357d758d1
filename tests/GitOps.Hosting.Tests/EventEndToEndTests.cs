using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Events;
using GitOps.Core.Events;
using GitOps.Core.Runs;
using GitOps.Hosting.Handlers;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// ARM events from the simulator, through the events queue, the event handler, the inbox and a scoped drift job, to a
/// recorded correction, with <c>gitops serve</c>'s listeners on Azurite.
/// </summary>
[Collection(HostingCollection.Events)]
[Trait("Category", "Integration")]
public sealed class EventEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private static string Group(TestWorld world, string name) => $"/subscriptions/{world.SubscriptionId}/resourceGroups/{name}";

    private static string Config(TestWorld world, string mode) => $"""
        version: 1
        environments:
          - name: dev
            path: envs/dev
            branch: main
            subscriptionId: {world.SubscriptionId}
            prune: {"{"} enabled: true, deleteBudget: 5 {"}"}
            drift: {"{"} interval: 12h, mode: {mode} {"}"}
        """;

    private static string Commit(TestWorld world, string mode = "correct", params string[] groups)
    {
        world.Repository.WriteFile("gitops.yaml", Config(world, mode));
        foreach (var group in groups)
        {
            world.WriteResourceGroup("envs/dev", group);
        }

        return world.Repository.Commit("groups");
    }

    private static async Task<IReadOnlyList<RunRecord>> RunsAsync(GitOpsRuntime runtime) =>
        (await runtime.Storage.Runs.ListAsync("app/dev", 200)).Where(r => r.Outcome != RunOutcome.Running).ToList();

    private static ReconcileJob Push(string commit) => TestWorld.PushJob(commit);

    private static async Task<RunRecord> ApplyAsync(GitOpsRuntime runtime, string commit)
    {
        await runtime.Storage.Jobs.EnqueueAsync(Push(commit));
        var runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Any(x => x.Commit?.Sha == commit && x.Trigger == RunTrigger.Push), Deadline, "the push run");
        var run = runs.First(x => x.Commit?.Sha == commit && x.Trigger == RunTrigger.Push);
        Assert.True(run.Outcome is RunOutcome.Applied or RunOutcome.NoChanges, run.Summary);
        await Poll.UntilAsync(() => runtime.Storage.States.GetAsync("app/dev"), s => s?.State.LastRunId == run.RunId, Deadline, "the state of the push run");
        return run;
    }

    private static async Task DrainedAsync(TestWorld world, GitOpsRuntime runtime)
    {
        await world.Arm.State.FlushEventsAsync(world.SubscriptionId, Deadline);
        await Poll.UntilAsync(() => runtime.Storage.EventsQueue.GetApproximateMessageCountAsync(), c => c == 0, Deadline, "the events queue to drain");
    }

    private static async Task<(GitOpsRuntime Runtime, IAsyncDisposable Listeners)> StartAsync(TestWorld world)
    {
        var runtime = await world.RuntimeAsync();
        var reconcile = Listeners.Reconcile(runtime);
        var drift = Listeners.Drift(runtime);
        var events = Listeners.Events(runtime);
        await reconcile.StartAsync(CancellationToken.None);
        await drift.StartAsync(CancellationToken.None);
        await events.StartAsync(CancellationToken.None);
        return (runtime, new Stopper(reconcile, drift, events));
    }

    private sealed class Stopper(params Microsoft.Extensions.Hosting.BackgroundService[] services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var service in services)
            {
                await service.StopAsync(CancellationToken.None);
                service.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_Portal_Change_Is_Corrected_By_A_Drift_Run_Of_That_Resource_Alone_Naming_Who_Made_It()
    {
        using var world = new TestWorld(azurite, arm);
        world.RouteEvents();
        var commit = Commit(world, "correct", "rg-a", "rg-b", "rg-c");
        var (runtime, listeners) = await StartAsync(world);
        await using (listeners)
        {
            await ApplyAsync(runtime, commit);
            await DrainedAsync(world, runtime);

            // The apply's own writes raised events; they were dropped, so no drift run followed.
            Assert.DoesNotContain(await RunsAsync(runtime), r => r.Trigger == RunTrigger.Drift);
            Assert.Equal(["app/dev"], (await runtime.Storage.Index.FindAsync(Group(world, "rg-b"))).Select(e => $"{e.Repository}/{e.Environment}"));

            var changedAt = DateTimeOffset.UtcNow;
            Assert.True(world.Arm.State.SetOutOfBand(Group(world, "rg-b"), JsonNode.Parse("""{"tags":{"owner":"mallory"}}""")!.AsObject(), by: "alice@contoso.com"));
            var runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Any(x => x.Trigger == RunTrigger.Drift), Deadline, "the event-driven drift run");
            var run = runs.Single(r => r.Trigger == RunTrigger.Drift);

            Assert.Equal(RunOutcome.Applied, run.Outcome);
            Assert.Equal(EventJobScheduler.RequestedBy, run.RequestedBy);
            Assert.Equal([new ScopedResource(Group(world, "rg-b"), "changed")], run.Scope!.Observed);
            var changed = Assert.Single(run.ChangedBy!);
            Assert.Equal("alice@contoso.com (portal)", changed.Actor.Display);
            Assert.Equal(ChangeAttribution.EventSource, changed.Source);
            Assert.Equal("Microsoft.Resources/subscriptions/resourceGroups/write", changed.Operation);
            Assert.Contains("Changed out of band by alice@contoso.com (portal) at ", run.Summary, StringComparison.Ordinal);
            Assert.Contains("; corrected at ", run.Summary, StringComparison.Ordinal);
            Assert.Equal("platform", world.Arm.State.GetResource(Group(world, "rg-b"))!["tags"]!["owner"]!.GetValue<string>());

            // One GET (and one PUT) of the changed group: the other two were not read.
            var requests = world.Arm.State.Requests.Where(r => r.SubscriptionId == world.SubscriptionId && r.Time >= changedAt).ToList();
            Assert.Equal([Group(world, "rg-b")], requests.Where(r => r.Method == "GET").Select(r => r.Path));
            Assert.Single(requests, r => r.Method == "PUT");

            // The ledger and the status page name the actor too.
            // The ledger entry is finished after the record: wait for this run's final one.
            var page = await Poll.UntilAsync(
                () => runtime.Storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "app/dev", Top = 10 }),
                p => p.Runs.Any(r => r.RunId == run.RunId && r.Outcome == run.Outcome), Deadline, "the ledger entry of the drift run");
            Assert.Equal("alice@contoso.com (portal)", page.Runs.First(r => r.RunId == run.RunId).ChangedBy);

            // The correction's own event is dropped: no second drift run, and the inbox is empty.
            await DrainedAsync(world, runtime);
            Assert.Single(await RunsAsync(runtime), r => r.Trigger == RunTrigger.Drift);
            Assert.Empty(await runtime.Storage.Inbox.ReadAsync("app", "dev", 10));
        }
    }

    [Fact]
    public async Task In_Detect_Mode_A_Deleted_Group_Is_Reported_With_Its_Actor_And_Not_Recreated()
    {
        using var world = new TestWorld(azurite, arm);
        world.RouteEvents(ArmEventSchema.CloudEvents, base64: false);
        var commit = Commit(world, "detect", "rg-a", "rg-b");
        var (runtime, listeners) = await StartAsync(world);
        await using (listeners)
        {
            await ApplyAsync(runtime, commit);
            await DrainedAsync(world, runtime);

            Assert.True(world.Arm.State.DeleteOutOfBand(Group(world, "rg-a"), by: "bob@contoso.com"));
            var runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Any(x => x.Trigger == RunTrigger.Drift), Deadline, "the event-driven drift run");
            var run = runs.Single(r => r.Trigger == RunTrigger.Drift);

            Assert.Equal(RunOutcome.DriftDetected, run.Outcome);
            Assert.Equal("bob@contoso.com (portal)", Assert.Single(run.ChangedBy!).Actor.Display);
            Assert.Equal(ChangeKind.Delete, run.ChangedBy![0].Kind);
            Assert.Null(world.Arm.State.GetResource(Group(world, "rg-a")));
            // The state is written after the record: wait for this run's.
            var state = (await Poll.UntilAsync(() => runtime.Storage.States.GetAsync("app/dev"), s => s?.State.LastRunId == run.RunId, Deadline, "the state of the drift run"))!.Value.State;
            Assert.Contains(state.Conditions, c => c.Type == Conditions.Drifted && c.Status == ConditionStatus.True);
            Assert.Equal(commit, state.LastApplied!.Sha);
        }
    }

    [Fact]
    public async Task Unmanaged_Own_And_Malformed_Events_Cause_No_Run_And_The_Malformed_One_Is_Recorded_With_Its_Reason()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = Commit(world, "correct", "rg-a");
        var runtime = await world.RuntimeAsync();
        await runtime.Reconciler.ReconcileAsync(Push(commit));

        var handler = runtime.Events;
        var managed = Event(Group(world, "rg-a"), world.SubscriptionId, "alice@contoso.com", ClientTypesPortal);
        var unmanaged = Event(Group(world, "rg-elsewhere"), world.SubscriptionId, "alice@contoso.com", ClientTypesPortal);
        var own = Event(Group(world, "rg-a"), world.SubscriptionId, null, ArmCallerClaims.OpaqueTokenPrincipalId(ArmSimulatorFixture.Token));

        Assert.Equal(ArmEventOutcome.Unmanaged, (await handler.HandleAsync(unmanaged, 1)).Outcome);
        Assert.Equal(ArmEventOutcome.Own, (await handler.HandleAsync(own, 1)).Outcome);
        var refused = await handler.HandleAsync("""{"eventType":"Microsoft.Resources.ResourceWriteSuccess","subject":"/etc/passwd"}""", 1);
        Assert.Equal(ArmEventOutcome.Refused, refused.Outcome);
        Assert.Equal(MessageDisposition.Complete, refused.Disposition);
        Assert.Empty(await runtime.Storage.Queue.PeekMessagesAsync(32));
        Assert.Empty(await runtime.Storage.DriftQueue.PeekMessagesAsync(32));
        Assert.Empty(await runtime.Storage.Inbox.ReadAsync("app", "dev", 10));

        var poisoned = Assert.Single(await runtime.Storage.EventsQueue.GetPoisonQueueClient().PeekMessagesAsync(32));
        var record = JsonNode.Parse(poisoned.Text!)!.AsObject();
        Assert.Contains("'id' is missing", record["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("/etc/passwd", record["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(world.EventsQueue, record["queue"]!.GetValue<string>());

        // The managed one is queued once, and a second event for the environment within the window schedules nothing more.
        var first = await handler.HandleAsync(managed, 1);
        Assert.Equal(ArmEventOutcome.Queued, first.Outcome);
        Assert.Equal(["app/dev"], first.Environments);
        Assert.Equal(ArmEventOutcome.Queued, (await handler.HandleAsync(managed.Replace("alice", "carol", StringComparison.Ordinal), 1)).Outcome);
        // The job becomes visible after the coalescing window, on the drift queue (the reconcile queue stays free for pushes).
        var visible = await Poll.UntilAsync(() => runtime.Storage.DriftQueue.PeekMessagesAsync(32), m => m.Count > 0, Deadline, "the scoped drift job");
        Assert.Equal(0, await runtime.Storage.Queue.GetApproximateMessageCountAsync());
        var job = ReconcileJobJson.Parse(Assert.Single(visible).Text!);
        Assert.Equal(RunTrigger.Drift, job.Trigger);
        Assert.Equal(JobScope.Events, job.Scope);
        Assert.Equal("carol@contoso.com (portal)", Assert.Single(await runtime.Storage.Inbox.ReadAsync("app", "dev", 10)).Change.Actor.Display);
    }

    [Fact]
    public async Task A_Stale_Index_Entry_Routes_One_Run_That_Reads_Nothing_And_Is_Then_Removed()
    {
        using var world = new TestWorld(azurite, arm);
        var stale = Group(world, "rg-gone");
        var runtime = await world.RuntimeAsync();
        await runtime.Storage.Index.AddAsync("app", "dev", [stale]);
        var commit = Commit(world, "correct", "rg-a");
        var (_, listeners) = (runtime, Listeners.Reconcile(runtime));
        using var drift = Listeners.Drift(runtime);
        await listeners.StartAsync(CancellationToken.None);
        await drift.StartAsync(CancellationToken.None);
        try
        {
            await ApplyAsync(runtime, commit);
            var before = world.Arm.State.Requests.Count(r => r.SubscriptionId == world.SubscriptionId && r.Method == "GET");

            Assert.Equal(ArmEventOutcome.Queued, (await runtime.Events.HandleAsync(Event(stale, world.SubscriptionId, "alice@contoso.com", ClientTypesPortal), 1)).Outcome);
            var runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Any(x => x.Trigger == RunTrigger.Drift), Deadline, "the drift run of the stale entry");
            var run = runs.Single(r => r.Trigger == RunTrigger.Drift);

            Assert.Equal(RunOutcome.NoChanges, run.Outcome);
            Assert.Equal([stale], run.Scope!.NotDeclared);
            Assert.Equal(before, world.Arm.State.Requests.Count(r => r.SubscriptionId == world.SubscriptionId && r.Method == "GET"));
            await Poll.UntilAsync(() => runtime.Storage.Index.FindAsync(stale), e => e.Count == 0, Deadline, "the stale entry to go");
            Assert.Equal(ArmEventOutcome.Unmanaged, (await runtime.Events.HandleAsync(Event(stale, world.SubscriptionId, "alice@contoso.com", ClientTypesPortal), 1)).Outcome);
        }
        finally
        {
            await drift.StopAsync(CancellationToken.None);
            await listeners.StopAsync(CancellationToken.None);
            listeners.Dispose();
        }
    }

    [Fact]
    public async Task A_Pruned_Resource_Leaves_The_Index()
    {
        using var world = new TestWorld(azurite, arm);
        var runtime = await world.RuntimeAsync();
        Assert.Equal(RunOutcome.Applied, (await runtime.Reconciler.ReconcileAsync(Push(Commit(world, "correct", "rg-a", "rg-b")))).Run!.Outcome);
        Assert.Single(await runtime.Storage.Index.FindAsync(Group(world, "rg-b")));

        world.Repository.DeleteFile("envs/dev/rg-b.yaml");
        var commit = world.Repository.Commit("remove rg-b");
        var run = (await runtime.Reconciler.ReconcileAsync(Push(commit))).Run!;

        Assert.Equal(1, run.Plan!.Summary.Delete);
        Assert.Empty(await runtime.Storage.Index.FindAsync(Group(world, "rg-b")));
        Assert.Single(await runtime.Storage.Index.FindAsync(Group(world, "rg-a")));
    }

    private const string ClientTypesPortal = ClientTypes.PortalAppId;

    /// <summary>A ResourceWriteSuccess event as Event Grid delivers it (the shape of the documented example).</summary>
    internal static string Event(string resourceId, string subscription, string? upn, string appId)
    {
        var claims = new JsonObject { ["appid"] = appId, [ArmCallerClaims.ObjectIdClaim] = Guid.NewGuid().ToString() };
        if (upn is not null)
        {
            claims[ArmCallerClaims.UpnClaim] = upn;
        }

        return new JsonObject
        {
            ["subject"] = resourceId,
            ["eventType"] = "Microsoft.Resources.ResourceWriteSuccess",
            ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = $"/subscriptions/{subscription}",
            ["dataVersion"] = "2",
            ["metadataVersion"] = "1",
            ["data"] = new JsonObject
            {
                ["claims"] = claims,
                ["correlationId"] = Guid.NewGuid().ToString(),
                ["operationName"] = "Microsoft.Resources/subscriptions/resourceGroups/write",
                ["resourceUri"] = resourceId,
                ["status"] = "Succeeded",
                ["subscriptionId"] = subscription,
            },
        }.ToJsonString();
    }
}
