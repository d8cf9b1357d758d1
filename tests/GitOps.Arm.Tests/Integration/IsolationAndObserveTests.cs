using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class IsolationAndObserveTests
{
    [Fact]
    public async Task A_Refused_Put_Fails_Its_Resource_Skips_Its_Dependents_And_Creates_The_Rest()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        harness.Sim.AddFault(new ArmFaultRule
        {
            Method = "PUT",
            PathPattern = "*/networkSecurityGroups/nsg-it-app",
            StatusCode = 400,
            ErrorCode = "SecurityRuleInvalidPortRange",
            Message = "Security rule has invalid Port range.",
        });
        var loaded = ReconcileHarness.Load(Tree());

        var run = await harness.ApplyAsync(loaded);

        var nsg = run.Result(NsgId);
        Assert.Equal(ResourceOutcome.Failed, nsg.Outcome);
        Assert.Equal("SecurityRuleInvalidPortRange", nsg.ErrorCode);
        Assert.False(nsg.Transient);
        Assert.False(string.IsNullOrWhiteSpace(nsg.CorrelationId));

        // The subnet references the NSG: skipped, never sent.
        var subnet = run.Result(SubnetId);
        Assert.Equal(ResourceOutcome.Skipped, subnet.Outcome);
        Assert.Equal(Applier.DependencyFailedCode, subnet.ErrorCode);
        Assert.Contains(NsgId, subnet.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(harness.Sim.Requests.To("PUT", SubnetId));

        foreach (var id in new[] { GroupId, StorageId, VnetId, RoleAssignmentId, SqlServerId })
        {
            Assert.Equal(ResourceOutcome.Succeeded, run.Result(id).Outcome);
            Assert.NotNull(harness.Sim.GetResource(id));
        }

        Assert.False(harness.Inventory.Contains(SubnetId));

        harness.Sim.ClearFaults();
        var retry = await harness.ApplyAsync(loaded);
        Assert.True(retry.Applied.Succeeded);
        Assert.Equal(2, retry.Plan.Summary.Create);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }

    [Fact]
    public async Task Observed_Resources_Are_Never_Written_But_Their_Drift_Is_Reported()
    {
        // The shared storage declaration, observed instead of managed.
        const string observedStorage = Storage + "\nreconcile: { policy: observe }";
        const string observedAbsent = $$$"""
            type: Microsoft.Storage/storageAccounts@{{{StorageApi}}}
            name: stitmissing01
            resourceGroup: {{{ResourceGroup}}}
            location: westeurope
            properties: { minimumTlsVersion: TLS1_2 }
            reconcile: { policy: observe }
            """;
        const string absentId = $"{GroupId}/providers/Microsoft.Storage/storageAccounts/stitmissing01";
        await using var harness = await ReconcileHarness.StartAsync();

        // Someone else owns the storage account; it exists with a weaker TLS setting.
        harness.Sim.Seed(JsonNode.Parse($$"""
            {
              "id": "{{StorageId}}",
              "name": "stitapp01",
              "type": "Microsoft.Storage/storageAccounts",
              "location": "westeurope",
              "sku": { "name": "Standard_LRS", "tier": "Standard" },
              "kind": "StorageV2",
              "tags": { "owner": "platform-team" },
              "properties": { "minimumTlsVersion": "TLS1_0", "allowBlobPublicAccess": false, "provisioningState": "Succeeded" }
            }
            """)!.AsObject());
        var loaded = ReconcileHarness.Load(Tree(omit: [Storage], extra: [observedStorage, observedAbsent]));

        var run = await harness.ApplyAsync(loaded);

        Assert.True(run.Applied.Succeeded, RequestLog.Describe(run.Plan));
        var drift = run.Plan.Change(StorageId);
        Assert.Equal(PlanAction.Drift, drift.Action);
        Assert.Equal(PlanReasons.PolicyObserve, drift.Reason);
        var diff = Assert.Single(drift.Diffs);
        Assert.Equal("/properties/minimumTlsVersion", diff.Path);
        Assert.Equal("TLS1_2", diff.Desired!.GetValue<string>());
        Assert.Equal("TLS1_0", diff.Live!.GetValue<string>());
        Assert.Equal(PlanAction.Drift, run.Plan.Change(absentId).Action);
        Assert.Equal(PlanReasons.AbsentInAzure, run.Plan.Change(absentId).Reason);

        var log = harness.Sim.Requests;
        Assert.DoesNotContain(log, r => r.IsWrite() && (r.IsFor(StorageId) || r.IsFor(absentId)));
        Assert.Equal("TLS1_0", harness.Sim.GetResource(StorageId)!["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        Assert.Null(harness.Sim.GetResource(absentId));

        // The role assignment on the observed account is managed and was created; the observed ones are not inventoried.
        Assert.Equal(ResourceOutcome.Succeeded, run.Result(RoleAssignmentId).Outcome);
        Assert.False(harness.Inventory.Contains(StorageId));
        Assert.False(harness.Inventory.Contains(absentId));

        // Still drifted, still not written, on every later run.
        harness.Sim.ClearRequests();
        var again = await harness.ApplyAsync(loaded);
        Assert.Equal(2, again.Plan.Summary.Drift);
        Assert.False(again.Plan.Summary.HasWrites);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.IsWrite());
    }
}
