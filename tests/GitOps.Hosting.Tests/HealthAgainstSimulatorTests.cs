using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Runs;
using GitOps.Hosting.Http.StatusPage;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>Issue 18 item 2 against the ARM simulator over HTTPS, with the real Azure SDK pipeline.</summary>
[Collection(HostingCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HealthAgainstSimulatorTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    [Fact]
    public async Task A_Resource_Group_With_A_Holding_Assertion_Is_Applied_And_Healthy_On_The_Run_Page()
    {
        using var world = new TestWorld(azurite, arm);
        world.Repository.WriteFile("envs/dev/rg-dev.yaml", "type: Microsoft.Resources/resourceGroups@2021-04-01\nname: rg-dev\nlocation: westeurope\nreconcile:\n  health: [ { path: /properties/provisioningState, equals: Succeeded } ]\n");
        var commit = world.CommitConfig("health", ("dev", "envs/dev", "main"));
        var runtime = await world.RuntimeAsync();

        var result = await runtime.Reconciler.ReconcileAsync(TestWorld.PushJob(commit));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        var health = Assert.Single(result.Run.Health!);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains("1 health check(s) hold", health.Detail, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"health-healthy\">", RunPage.Render(result.Run, DateTimeOffset.UtcNow), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Resource_That_Turns_Failed_In_Azure_Between_Runs_Is_Reported_Unhealthy_Without_A_Write()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        Assert.Equal(RunOutcome.Applied, (await runtime.Reconciler.ReconcileAsync(TestWorld.PushJob(commit))).Run!.Outcome);
        var groupId = $"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-dev";
        Assert.True(world.Arm.State.SetOutOfBand(groupId, new JsonObject { ["properties"] = new JsonObject { ["provisioningState"] = "Failed" } }));
        var writes = world.Writes().Count;

        var drift = await runtime.Reconciler.ReconcileAsync(new ReconcileJob { JobId = "drift-1", Repository = "app", Environment = "dev", Trigger = RunTrigger.Drift, EnqueuedAt = DateTimeOffset.UtcNow });

        Assert.Equal(RunOutcome.Unhealthy, drift.Run!.Outcome);
        Assert.Equal(Conditions.HealthCheckFailed, drift.Run.Reason);
        var health = Assert.Single(drift.Run.Health!);
        Assert.Equal((HealthStatus.Unhealthy, "provisioningState Failed"), (health.Status, health.Detail));
        Assert.Equal(writes, world.Writes().Count);
        Assert.Contains("<tr class=\"health-unhealthy\">", RunPage.Render(drift.Run, DateTimeOffset.UtcNow), StringComparison.Ordinal);
    }
}
