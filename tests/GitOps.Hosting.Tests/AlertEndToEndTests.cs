using GitOps.Core.Alerts;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>Alerts raised by real runs through the runtime, delivered to a local HTTP receiver.</summary>
[Collection(HostingCollection.Alerts)]
[Trait("Category", "Integration")]
public sealed class AlertEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static ReconcileJob Job(string commit, RunTrigger trigger = RunTrigger.Push) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "app",
        Environment = "dev",
        Commit = commit,
        Trigger = trigger,
        EnqueuedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task A_Failing_Run_Alerts_Once_And_A_Failing_Sink_Is_Recorded_Without_Changing_The_Run()
    {
        using var world = new TestWorld(azurite, arm);
        await using var receiver = await AlertReceiver.StartAsync();
        receiver.Always("/broken", 404);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?>
        {
            ["GitOps:Alerts:hook:Type"] = "webhook",
            ["GitOps:Alerts:hook:Url"] = receiver.Url("/hook").ToString(),
            ["GitOps:Alerts:broken:Type"] = "slack",
            ["GitOps:Alerts:broken:Url"] = receiver.Url("/broken").ToString(),
        });
        arm.State.AddFault(new GitOps.ArmSimulator.ArmFaultRule { Method = "PUT", PathPattern = $"*/subscriptions/{world.SubscriptionId}/*", StatusCode = 400, ErrorCode = "InvalidTemplate" });

        var (_, first) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(Job(commit)), 1);
        var (_, second) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(Job(commit)), 1);

        Assert.NotNull(first);
        Assert.True(first.Outcome.IsProblem(), first.Outcome.ToString());
        var body = Assert.Single(receiver.BodiesAt("/hook"))!;
        Assert.Equal("runFailed", body["kind"]!.GetValue<string>());
        Assert.Equal("app/dev", body["environment"]!.GetValue<string>());
        Assert.Equal(first.RunId, body["runId"]!.GetValue<string>());
        Assert.Equal(commit, body["commit"]!.GetValue<string>());
        Assert.Single(receiver.BodiesAt("/broken"));

        var recorded = await runtime.Storage.Runs.GetAsync(first.RunId);
        Assert.NotNull(recorded);
        Assert.Equal(first.Outcome, recorded.Outcome);
        Assert.Contains(recorded.Notifications, n => n is { Sink: "hook", Kind: AlertKind.RunFailed, Delivered: true });
        var broken = Assert.Single(recorded.Notifications, n => n.Sink == "broken");
        Assert.False(broken.Delivered);
        Assert.Contains("404", broken.Error, StringComparison.Ordinal);

        // The same failure again is the same streak: no second alert, nothing recorded on the second run.
        Assert.NotNull(second);
        Assert.Equal(first.Outcome, second.Outcome);
        Assert.Single(receiver.BodiesAt("/hook"));
        Assert.Empty((await runtime.Storage.Runs.GetAsync(second.RunId))!.Notifications);
    }

    [Fact]
    public async Task A_Poisoned_Job_Alerts_JobPoisoned()
    {
        using var world = new TestWorld(azurite, arm);
        await using var receiver = await AlertReceiver.StartAsync();
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?>
        {
            ["GitOps:Alerts:teams:Type"] = "teams",
            ["GitOps:Alerts:teams:Url"] = receiver.Url("/teams").ToString(),
        });

        var run = await runtime.Poison.RunAsync(ReconcileJobJson.Serialize(Job(commit)), 1);

        Assert.NotNull(run);
        var card = Assert.Single(receiver.BodiesAt("/teams"))!.ToJsonString();
        Assert.Contains("job given up in app/dev", card, StringComparison.Ordinal);
        Assert.Contains(run.RunId, card, StringComparison.Ordinal);
        var recorded = await runtime.Storage.Runs.GetAsync(run.RunId);
        Assert.Equal(AlertKind.JobPoisoned, Assert.Single(recorded!.Notifications).Kind);
    }

    [Fact]
    public async Task A_Suspension_In_Git_Past_Its_Until_Alerts_Once_Across_Drift_Runs()
    {
        using var world = new TestWorld(azurite, arm);
        await using var receiver = await AlertReceiver.StartAsync();
        world.WriteResourceGroup("envs/dev", "rg-dev");
        world.Repository.WriteFile(
            "gitops.yaml",
            $"version: 1\nenvironments:\n  - name: dev\n    path: envs/dev\n    branch: main\n    subscriptionId: {world.SubscriptionId}\n    suspended: {{ reason: \"change freeze\", until: 2020-01-01T00:00:00Z }}\n");
        var commit = world.Repository.Commit("freeze dev");
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?>
        {
            ["GitOps:Alerts:hook:Url"] = receiver.Url("/hook").ToString(),
            ["GitOps:Alerts:hook:Kinds"] = "SuspensionOverdue",
        });

        var (_, first) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(Job(commit, RunTrigger.Drift)), 1);
        var (_, second) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(Job(commit, RunTrigger.Drift)), 1);

        Assert.Equal(RunOutcome.Suspended, first!.Outcome);
        Assert.Equal(RunOutcome.Suspended, second!.Outcome);
        var body = Assert.Single(receiver.BodiesAt("/hook"))!;
        Assert.Equal("suspensionOverdue", body["kind"]!.GetValue<string>());
        Assert.Contains("Reason: change freeze", body["details"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(world.Writes());
        Assert.NotNull((await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.SuspensionOverdueAlertedAt);
    }
}
