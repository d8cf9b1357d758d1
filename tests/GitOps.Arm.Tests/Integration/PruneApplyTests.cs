using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class PruneApplyTests
{
    private static readonly string[] NetworkOnly = [Vnet, Subnet];

    private static async Task<ReconcileHarness> AppliedAsync(bool prune = true, int deleteBudget = 10, string? subnet = null)
    {
        var harness = await ReconcileHarness.StartAsync();
        var first = await harness.ApplyAsync(ReconcileHarness.Load(subnet is null
            ? Tree(prune, deleteBudget)
            : Tree(prune, deleteBudget, omit: [Subnet], extra: [subnet])));
        Assert.True(first.Applied.Succeeded, RequestLog.Describe(first.Plan));
        Assert.Equal(AllIds.Length, harness.Inventory.Entries.Count);
        harness.Sim.ClearRequests();
        return harness;
    }

    [Fact]
    public async Task Prune_Off_Detaches_Removed_Resources_Without_Deleting()
    {
        await using var harness = await AppliedAsync(prune: false);

        var run = await harness.ApplyAsync(ReconcileHarness.Load(Tree(prune: false, omit: NetworkOnly)));

        Assert.Equal(2, run.Plan.Summary.Detach);
        Assert.All(new[] { VnetId, SubnetId }, id =>
        {
            Assert.Equal(PlanAction.Detach, run.Plan.Change(id).Action);
            Assert.Equal(PlanReasons.PruneOff, run.Plan.Change(id).Reason);
            Assert.NotNull(harness.Sim.GetResource(id));
            Assert.False(harness.Inventory.Contains(id));
        });
        Assert.DoesNotContain(harness.Sim.Requests, r => r.IsWrite());
        Assert.Equal(AllIds.Length - 2, harness.Inventory.Entries.Count);
    }

    [Fact]
    public async Task Prune_Deletes_Children_Before_Parents_With_The_Inventory_Api_Version()
    {
        await using var harness = await AppliedAsync();

        var run = await harness.ApplyAsync(ReconcileHarness.Load(Tree(omit: NetworkOnly)));

        Assert.True(run.Applied.Succeeded, RequestLog.Describe(run.Plan));
        Assert.Equal(2, run.Plan.Summary.Delete);
        var deletes = harness.Sim.Requests.Where(r => r.Method == "DELETE").ToList();
        Assert.Equal(2, deletes.Count);
        Assert.True(deletes[0].IsFor(SubnetId) && deletes[1].IsFor(VnetId), RequestLog.Describe(deletes));

        // The declarations are gone from git: the api-versions can only have come from the inventory.
        Assert.Equal(SubnetApi, deletes[0].ApiVersion);
        Assert.Equal(VnetApi, deletes[1].ApiVersion);
        Assert.All(deletes, d => Assert.Equal(200, d.StatusCode));
        Assert.Null(harness.Sim.GetResource(VnetId));
        Assert.False(harness.Inventory.Contains(VnetId));
        Assert.False(harness.Inventory.Contains(SubnetId));
        Assert.NotNull(harness.Sim.GetResource(NsgId));
    }

    [Fact]
    public async Task Over_The_Delete_Budget_Nothing_Is_Deleted_And_The_Plan_Says_Why()
    {
        await using var harness = await AppliedAsync(deleteBudget: 1);

        var run = await harness.ApplyAsync(ReconcileHarness.Load(Tree(deleteBudget: 1, omit: NetworkOnly)));

        Assert.Equal(0, run.Plan.Summary.Delete);
        Assert.Equal(2, run.Plan.Summary.Drift);
        Assert.Equal(PlanReasons.OverDeleteBudget(2, 1), run.Plan.Change(VnetId).Reason);
        Assert.Contains(PlanReasons.OverDeleteBudgetNote(2, 1), run.Plan.Notes);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.IsWrite());
        Assert.NotNull(harness.Sim.GetResource(SubnetId));
        Assert.True(harness.Inventory.Contains(VnetId));
        Assert.True(harness.Inventory.Contains(SubnetId));
    }

    [Fact]
    public async Task OnDelete_Detach_Forgets_Without_Deleting_While_Others_Are_Deleted()
    {
        const string keptSubnet = $$$"""
            type: Microsoft.Network/virtualNetworks/subnets@{{{SubnetApi}}}
            name: vnet-it/snet-app
            resourceGroup: {{{ResourceGroup}}}
            properties:
              addressPrefix: 10.30.1.0/24
              networkSecurityGroup:
                id: ${{ ref(Microsoft.Network/networkSecurityGroups/nsg-it-app) }}
            reconcile: { onDelete: detach }
            """;
        await using var harness = await AppliedAsync(subnet: keptSubnet);

        var run = await harness.ApplyAsync(ReconcileHarness.Load(Tree(omit: [Subnet, RoleAssignment])));

        Assert.True(run.Applied.Succeeded, RequestLog.Describe(run.Plan));
        Assert.Equal(PlanAction.Detach, run.Plan.Change(SubnetId).Action);
        Assert.Equal(PlanReasons.OnDeleteDetach, run.Plan.Change(SubnetId).Reason);
        Assert.Equal(PlanAction.Delete, run.Plan.Change(RoleAssignmentId).Action);
        var delete = Assert.Single(harness.Sim.Requests, r => r.Method == "DELETE");
        Assert.True(delete.IsFor(RoleAssignmentId));
        Assert.NotNull(harness.Sim.GetResource(SubnetId));
        Assert.False(harness.Inventory.Contains(SubnetId));
        Assert.False(harness.Inventory.Contains(RoleAssignmentId));
    }

    [Fact]
    public async Task A_Failed_Delete_Stays_In_The_Inventory_And_Is_Retried_Next_Run()
    {
        await using var harness = await AppliedAsync();
        harness.Sim.AddFault(new ArmFaultRule
        {
            Method = "DELETE",
            PathPattern = "*/virtualNetworks/vnet-it",
            StatusCode = 409,
            ErrorCode = "ScopeLocked",
            Message = "The scope cannot perform delete operation because it is locked.",
        });
        var fewer = ReconcileHarness.Load(Tree(omit: NetworkOnly));

        var run = await harness.ApplyAsync(fewer);

        Assert.Equal(ResourceOutcome.Succeeded, run.Result(SubnetId).Outcome);
        var vnet = run.Result(VnetId);
        Assert.Equal(ResourceOutcome.Failed, vnet.Outcome);
        Assert.Equal("ScopeLocked", vnet.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(vnet.CorrelationId));
        Assert.NotNull(harness.Sim.GetResource(VnetId));
        Assert.True(harness.Inventory.Contains(VnetId));
        Assert.Equal(VnetApi, harness.Inventory.Find(VnetId)!.ApiVersion);
        Assert.False(harness.Inventory.Contains(SubnetId));

        harness.Sim.ClearFaults();
        var retry = await harness.ApplyAsync(fewer);

        Assert.True(retry.Applied.Succeeded);
        Assert.Equal(PlanAction.Delete, retry.Plan.Change(VnetId).Action);
        Assert.Null(harness.Sim.GetResource(VnetId));
        Assert.False(harness.Inventory.Contains(VnetId));
        RequestLog.AssertAllNoop(await harness.PlanAsync(fewer), AllIds.Length - 2);
    }

    [Fact]
    public async Task Decommissioning_A_Resource_Group_Deletes_Its_Contents_First_And_The_Group_Last()
    {
        const string otherGroup = """
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-it-shared
            location: westeurope
            """;
        await using var harness = await ReconcileHarness.StartAsync();
        var first = await harness.ApplyAsync(ReconcileHarness.Load(Tree(extra: [otherGroup])));
        Assert.True(first.Applied.Succeeded);
        harness.Sim.ClearRequests();

        var run = await harness.ApplyAsync(ReconcileHarness.Load(Declarations.TreeOf(prune: true, deleteBudget: 10, new Dictionary<string, string[]> { ["shared.yaml"] = [otherGroup] })));

        Assert.True(run.Applied.Succeeded, RequestLog.Describe(run.Plan) + Environment.NewLine + string.Join(Environment.NewLine, run.Applied.Results));
        Assert.Equal(AllIds.Length, run.Plan.Summary.Delete);
        var deletes = harness.Sim.Requests.Where(r => r.Method == "DELETE").ToList();
        int At(string id) => deletes.FindIndex(d => d.IsFor(id));
        Assert.True(At(RoleAssignmentId) < At(StorageId), RequestLog.Describe(deletes));
        Assert.True(At(SubnetId) < At(VnetId), RequestLog.Describe(deletes));
        Assert.True(At(SubnetId) < At(NsgId), RequestLog.Describe(deletes));
        Assert.Equal(deletes.Count - 1, At(GroupId));
        Assert.All(deletes, d => Assert.Equal(ApiVersions[ApiVersions.Keys.Single(d.IsFor)], d.ApiVersion));

        // Every delete found its resource: none was already gone because its parent went first.
        Assert.DoesNotContain(deletes, d => d.StatusCode == 204);
        Assert.All(AllIds, id => Assert.Null(harness.Sim.GetResource(id)));
        Assert.Single(harness.Inventory.Entries);
    }

    [Fact]
    public async Task Pruning_Resources_Whose_Group_Was_Already_Deleted_By_Hand_Succeeds()
    {
        const string otherGroup = """
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-it-shared
            location: westeurope
            """;
        await using var harness = await ReconcileHarness.StartAsync();
        Assert.True((await harness.ApplyAsync(ReconcileHarness.Load(Tree(extra: [otherGroup])))).Applied.Succeeded);
        Assert.True(harness.Sim.DeleteOutOfBand(GroupId));

        var run = await harness.ApplyAsync(ReconcileHarness.Load(Declarations.TreeOf(prune: true, deleteBudget: 10, new Dictionary<string, string[]> { ["shared.yaml"] = [otherGroup] })));

        // Already gone is what prune wanted: every delete succeeds and the inventory forgets them.
        Assert.True(run.Applied.Succeeded, string.Join(Environment.NewLine, run.Applied.Results) + Environment.NewLine + RequestLog.Describe(harness.Sim.Requests));
        Assert.Equal(AllIds.Length, run.Plan.Summary.Delete);
        Assert.Single(harness.Inventory.Entries);
    }

    [Fact]
    public async Task Renaming_Only_The_Casing_In_Git_Neither_Deletes_Nor_Rewrites()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var upper = Tree(omit: [Nsg, Subnet], extra: [Nsg.Replace("nsg-it-app", "NSG-IT-App", StringComparison.Ordinal), Subnet.Replace("nsg-it-app", "NSG-IT-App", StringComparison.Ordinal)]);
        Assert.True((await harness.ApplyAsync(ReconcileHarness.Load(upper))).Applied.Succeeded);
        harness.Sim.ClearRequests();

        var run = await harness.ApplyAsync(ReconcileHarness.Load(Tree()));

        // Ids compare case-insensitively: the security group is the same resource, not a removal plus a creation.
        Assert.Equal(PlanAction.Noop, run.Plan.Change(NsgId).Action);
        Assert.Equal(0, run.Plan.Summary.Delete + run.Plan.Summary.Create + run.Plan.Summary.Detach);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.Method == "DELETE" || (r.Method == "PUT" && r.IsFor(NsgId)));
        Assert.NotNull(harness.Sim.GetResource(NsgId));

        // The subnet's body holds the reference, whose text changed only in casing: Azure already shows it (ids compare
        // case-insensitively), so it is not written again either.
        Assert.Equal(PlanReasons.AlreadyApplied, run.Plan.Change(SubnetId).Reason);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.Method == "PUT");
        RequestLog.AssertAllNoop(await harness.PlanAsync(ReconcileHarness.Load(Tree())), AllIds.Length);
        Assert.Equal(AllIds.Length, harness.Inventory.Entries.Count);
    }
}
