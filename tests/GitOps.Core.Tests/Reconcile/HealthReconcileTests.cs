using System.Text.Json.Nodes;
using GitOps.Core.Alerts;
using GitOps.Core.Apply;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Issue 18 item 2: a run tells applied-and-healthy from applied-but-unhealthy, and alerts on the latter.</summary>
public sealed class HealthReconcileTests
{
    private const string StorageId = $"/subscriptions/{InMemoryWorld.Subscription}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01";

    private readonly InMemoryWorld _world = new();

    private static readonly ReconcilerOptions Fast = ReconcilerOptions.Default with { Apply = new ApplyOptions { HealthPollInterval = TimeSpan.Zero, MaxHealthPolls = 2 } };

    private string Commit(string reconcile = "") => _world.Source.Commit("main", files => files
        .Add("gitops.yaml", $"""
            environments:
              - name: prod
                path: envs/prod
                subscriptionId: {InMemoryWorld.Subscription}
            """)
        .Add("envs/prod/app.yaml", $"""
            type: Microsoft.Storage/storageAccounts@2023-05-01
            name: stapp01
            resourceGroup: rg-app
            location: westeurope
            kind: StorageV2
            {reconcile}
            """));

    private void Provide(string state, string? statusOfPrimary = null) => _world.Arm.Provider = (_, body) =>
    {
        var properties = (body["properties"] ??= new JsonObject()).AsObject();
        properties["provisioningState"] = state;
        if (statusOfPrimary is not null)
        {
            properties["statusOfPrimary"] = statusOfPrimary;
        }
    };

    [Fact]
    public async Task A_Write_That_Becomes_Healthy_Is_Applied_With_Its_Health_Recorded()
    {
        Provide("Succeeded", "available");
        var sha = Commit("reconcile: { health: [ { path: /properties/statusOfPrimary, equals: available } ] }");

        var result = await _world.Reconciler(Fast).ReconcileAsync(InMemoryWorld.Job(sha));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        var health = Assert.Single(result.Run.Health!);
        Assert.Equal((StorageId, HealthStatus.Healthy), (health.Id, health.Status));
    }

    [Fact]
    public async Task A_Write_Whose_Assertion_Does_Not_Hold_Ends_Unhealthy_Alerts_And_Does_Not_Count_As_Applied()
    {
        Provide("Succeeded", "unavailable");
        var sha = Commit("reconcile: { health: [ { path: /properties/statusOfPrimary, equals: available } ], healthTimeout: 1m }");

        var result = await _world.Reconciler(Fast).ReconcileAsync(InMemoryWorld.Job(sha));

        Assert.Equal(RunOutcome.Unhealthy, result.Run!.Outcome);
        Assert.Equal(Conditions.HealthCheckFailed, result.Run.Reason);
        Assert.Contains("/properties/statusOfPrimary is another string, not available", result.Run.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("unavailable", RunJson.Serialize(result.Run), StringComparison.Ordinal);
        var alert = Assert.Single(AlertRules.Evaluate(EnvironmentState.New("platform", "prod"), result.Run));
        Assert.Equal(AlertKind.ResourceUnhealthy, alert.Kind);
        Assert.Null((await _world.StateAsync()).LastApplied);
        Assert.Equal(JobDisposition.Complete, result.Disposition);
    }

    [Fact]
    public async Task A_Resource_Whose_Assertion_Stops_Holding_Between_Runs_Is_Reported_By_The_Drift_Run()
    {
        Provide("Succeeded", "available");
        var sha = Commit("reconcile: { health: [ { path: /properties/statusOfPrimary, equals: available } ] }");
        await _world.Reconciler(Fast).ReconcileAsync(InMemoryWorld.Job(sha));
        Provide("Succeeded", "unavailable");

        var result = await _world.Reconciler(Fast).ReconcileAsync(InMemoryWorld.Job(null, RunTrigger.Drift));

        Assert.Equal(RunOutcome.Unhealthy, result.Run!.Outcome);
        Assert.Equal(1, _world.Writes);
        Assert.Contains(result.Run.Warnings, w => w.Contains("is not healthy in Azure", StringComparison.Ordinal));
    }
}
