using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using GitOps.ArmSimulator.Events;
using GitOps.Core.Runs;
using GitOps.Functions.Tests.Harness;
using GitOps.Functions.Tests.Harness.Rpc;
using GitOps.Hosting.Settings;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Functions.Tests;

/// <summary>
/// ARM events through the real worker: the simulator's event on the <c>arm-events</c> queue, the host's queue trigger
/// (played by <see cref="HostQueueListener"/>) invoking <c>events</c>, the scoped drift job invoking <c>reconcile-drift</c>.
/// </summary>
[Collection(WorkerCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkerEventTests(WorkerHostFixture fixture)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(90);

    private HostQueueListener Listener(string queue, string function) => new(
        () => fixture.Host,
        fixture.World.Settings["AzureWebJobsStorage"],
        queue,
        function,
        HostJsonQueues.Read(fixture.Host.AppDirectory),
        TimeSpan.FromMinutes(1));

    private GitOpsStorage Storage() => new(
        StorageConnection.FromSettings("AzureWebJobsStorage", name => fixture.World.Settings.GetValueOrDefault(name)),
        new GitOpsStorageOptions { ContainerName = fixture.World.Container });

    [Fact]
    public async Task A_Portal_Change_Is_Corrected_Through_The_Events_And_Reconcile_Functions_Naming_The_Actor()
    {
        var world = fixture.World;
        var group = $"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-evented";
        var commit = world.CommitEnvironment("rg-evented", "platform");
        fixture.Arm.State.SetEventDestination(world.SubscriptionId, new ArmEventDestination { ConnectionString = world.Azurite.ConnectionString, QueueName = QueueNames.Events });
        try
        {
            // The queues are the collection's: a drift job another test left behind would run here as a full sweep,
            // take this change with it, and leave no scoped run to look at.
            var driftQueue = new QueueClient(world.Settings["AzureWebJobsStorage"], QueueNames.Drift);
            await driftQueue.CreateIfNotExistsAsync();
            await driftQueue.ClearMessagesAsync();
            await using var reconcile = Listener(QueueNames.Reconcile, "reconcile");
            await using var drift = Listener(QueueNames.Drift, "reconcile-drift");
            await using var events = Listener(QueueNames.Events, "events");
            await reconcile.StartAsync();
            await drift.StartAsync();
            await events.StartAsync();

            await new QueueClient(world.Settings["AzureWebJobsStorage"], QueueNames.Reconcile, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })
                .SendMessageAsync(ReconcileJobJson.Serialize(ReconcileJob.Create("app", "dev", RunTrigger.Manual, commit, DateTimeOffset.UtcNow, "test")));
            await Poll.UntilAsync(async () => (await world.RunsAsync()).Any(r => r.Commit?.Sha == commit && r.Outcome == RunOutcome.Applied), r => r, s_deadline, "the apply");
            await fixture.Arm.State.FlushEventsAsync(world.SubscriptionId, s_deadline);

            Assert.True(fixture.Arm.State.SetOutOfBand(group, new JsonObject { ["tags"] = new JsonObject { ["owner"] = "mallory" } }, by: "alice@contoso.com"));
            var run = await Poll.UntilAsync(
                async () => (await world.RunsAsync()).FirstOrDefault(r => r.Trigger == RunTrigger.Drift && r.Outcome != RunOutcome.Running && r.StartedAt > DateTimeOffset.UtcNow.AddMinutes(-5) && r.ChangedBy is not null),
                r => r is not null,
                s_deadline,
                "the event-driven drift run");

            Assert.Equal(RunOutcome.Applied, run!.Outcome);
            Assert.True(run.Scope is not null, $"drift run {run.RunId} ({run.JobId}) was a full sweep, not the event's scoped run");
            Assert.Equal(group, Assert.Single(run.Scope.Observed).Id);
            Assert.Equal("alice@contoso.com (portal)", Assert.Single(run.ChangedBy!).Actor.Display);
            Assert.Equal("platform", fixture.Arm.State.GetResource(group)!["tags"]!["owner"]!.GetValue<string>());
            Assert.Contains(events.Invocations, i => i.Status == StatusResult.Types.Status.Success);
            Assert.DoesNotContain(events.Invocations, i => i.Status != StatusResult.Types.Status.Success);

            // The run is recorded before its invocation answers: wait for the answer.
            await Poll.UntilAsync(() => drift.Invocations.Any(i => i.Status == StatusResult.Types.Status.Success), s_deadline, "the reconcile-drift invocation to succeed");
        }
        finally
        {
            fixture.Arm.State.SetEventDestination(world.SubscriptionId, null);
        }
    }

    [Theory]
    [InlineData("not an event")]
    [InlineData("{\"eventType\":\"Microsoft.Resources.ResourceActionSuccess\"}")]
    public async Task A_Malformed_Event_Completes_Its_Invocation_And_Is_Recorded_With_Its_Reason(string text)
    {
        var poison = Storage().EventsQueue.GetPoisonQueueClient();
        await poison.CreateIfNotExistsAsync();
        await poison.ClearMessagesAsync();

        var response = await fixture.Host.InvokeQueueAsync("events", text, dequeueCount: 1, "event-malformed", DateTimeOffset.UtcNow);

        Assert.Equal(StatusResult.Types.Status.Success, response.Result.Status);
        var record = JsonNode.Parse(Assert.Single(await poison.PeekMessagesAsync(32)).Text!)!.AsObject();
        Assert.Equal(text, record["message"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(record["reason"]!.GetValue<string>()));
        Assert.True(fixture.Host.IsRunning);
        await poison.ClearMessagesAsync();
    }
}
