using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Testing;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

/// <summary>
/// The types whose GET differs most from their PUT (display-name locations, id and type casing, derived values,
/// write-only secrets): after one apply, a plan must find nothing to change.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NormalizationConvergenceTests
{
    private const string Quirky = $$$"""
        type: Microsoft.Web/serverfarms@2023-12-01
        name: plan-it-app
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        sku: { name: P1v3 }
        ---
        type: Microsoft.Web/sites@2023-12-01
        name: app-it-web
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        properties:
          serverFarmId: ${{ ref(Microsoft.Web/serverfarms/plan-it-app) }}
          httpsOnly: true
        ---
        type: Microsoft.Cache/redis@2024-03-01
        name: redis-it-app
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        properties:
          sku: { name: Standard, family: C, capacity: 1 }
          redisVersion: '6'
        ---
        type: Microsoft.KeyVault/vaults@2023-07-01
        name: kv-it-app
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        properties:
          tenantId: 11111111-2222-3333-4444-555555555555
          sku: { family: A, name: standard }
          enableRbacAuthorization: true
        ---
        type: Microsoft.KeyVault/vaults/secrets@2023-07-01
        name: kv-it-app/db-password
        resourceGroup: {{{ResourceGroup}}}
        properties:
          value: ${{ vars.sqlAdminPassword }}
        ---
        type: Microsoft.ServiceBus/namespaces@2022-10-01-preview
        name: sb-it-app
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        sku: { name: Standard }
        ---
        type: Microsoft.OperationalInsights/workspaces@2023-09-01
        name: log-it-app
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        properties:
          sku: { name: PerGB2018 }
          retentionInDays: 30
        ---
        type: Microsoft.Insights/diagnosticSettings@2021-05-01-preview
        name: to-log-analytics
        scope: Microsoft.KeyVault/vaults/kv-it-app
        properties:
          workspaceId: ${{ ref(Microsoft.OperationalInsights/workspaces/log-it-app) }}
          logs:
            - category: AuditEvent
              enabled: true
        ---
        # Extension resources at subscription scope.
        type: Microsoft.Authorization/roleAssignments@2022-04-01
        name: 3f0c1f6a-8d9e-4c1b-9a2f-5e6d7c8b9a01
        scope: /subscriptions/${{ env.subscriptionId }}
        properties:
          roleDefinitionId: /subscriptions/${{ env.subscriptionId }}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7
          principalId: 5d1c0a7e-2b3f-4e8d-9a6c-1f0e2d3c4b5a
          principalType: Group
        ---
        type: Microsoft.Insights/diagnosticSettings@2021-05-01-preview
        name: activity-to-log-analytics
        scope: /subscriptions/${{ env.subscriptionId }}
        properties:
          workspaceId: ${{ ref(Microsoft.OperationalInsights/workspaces/log-it-app) }}
          logs:
            - category: Administrative
              enabled: true
        """;

    [Fact]
    public async Task Quirky_Types_Converge_To_All_Noop_After_One_Apply()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree(extra: [Quirky]));
        var count = loaded.Resources.Count;

        var run = await harness.ApplyAsync(loaded);

        Assert.True(run.Applied.Succeeded, RequestLog.Describe(run.Plan) + Environment.NewLine + string.Join(Environment.NewLine, run.Applied.Results));
        Assert.Equal(count, run.Applied.Writes);

        // The normalizations really were in play: what ARM returns is not what was sent.
        Assert.Equal("West Europe", harness.Sim.GetResource($"{GroupId}/providers/Microsoft.Web/sites/app-it-web")!["location"]!.GetValue<string>());
        Assert.Equal("6.0.14", harness.Sim.GetResource($"{GroupId}/providers/Microsoft.Cache/redis/redis-it-app")!["properties"]!["redisVersion"]!.GetValue<string>());
        Assert.Equal("PremiumV3", harness.Sim.GetResource($"{GroupId}/providers/Microsoft.Web/serverfarms/plan-it-app")!["sku"]!["tier"]!.GetValue<string>());
        Assert.Equal("Microsoft.ServiceBus/Namespaces", harness.Sim.GetResource($"{GroupId}/providers/Microsoft.ServiceBus/namespaces/sb-it-app")!["type"]!.GetValue<string>());
        Assert.Null(harness.Sim.GetResource($"{GroupId}/providers/Microsoft.KeyVault/vaults/kv-it-app/secrets/db-password")!["properties"]!["value"]);
        Assert.Contains("/resourcegroups/", harness.Sim.GetResource($"{GroupId}/providers/Microsoft.OperationalInsights/workspaces/log-it-app")!["id"]!.GetValue<string>(), StringComparison.Ordinal);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), count);
        harness.Sim.ClearRequests();
        var again = await harness.ApplyAsync(loaded);
        Assert.Empty(again.Applied.Results);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.IsWrite());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task The_Example_Repository_Applies_And_Converges(string environment)
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var examples = FolderTree.Read(Path.Combine(RepositoryRoot.Find(), "examples"));
        var loader = new ManifestLoader();
        var definition = loader.LoadConfig(examples).Find(environment)!;
        var loaded = loader.LoadEnvironment(examples, definition);
        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));

        var run = await harness.ApplyAsync(loaded);

        Assert.True(run.Applied.Succeeded, RequestLog.Describe(run.Plan) + Environment.NewLine + string.Join(Environment.NewLine, run.Applied.Results));
        Assert.Equal(loaded.Resources.Count, run.Plan.Summary.Create);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), loaded.Resources.Count);
    }
}
