using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class PruneTests
{
    private static readonly PlanOptions PruneOn = new() { Prune = new PruneSettings(true, 10) };

    [Fact]
    public void Removed_Resource_Is_Deleted_With_The_Inventory_Api_Version_Type_And_Dependencies()
    {
        var gone = StorageId("stgone");
        var entry = Entry(gone, dependsOn: ["/subscriptions/x/resourceGroups/rg-app"], apiVersion: "2021-09-01");
        var change = Assert.Single(Plan([], inventory: [entry], options: PruneOn).Changes);
        Assert.Equal(PlanAction.Delete, change.Action);
        Assert.Equal(gone, change.Id);
        Assert.Equal("2021-09-01", change.ApiVersion);
        Assert.Equal("Microsoft.Storage/storageAccounts", change.Type);
        Assert.Equal(entry.DependsOn, change.DependsOn);
        Assert.Empty(change.Diffs);
        Assert.Null(change.Desired);
    }

    [Fact]
    public void Removed_Resource_Is_Detached_When_Prune_Is_Off()
    {
        var change = Assert.Single(Plan([], inventory: [Entry(StorageId("stgone"))]).Changes);
        Assert.Equal(PlanAction.Detach, change.Action);
        Assert.Equal("removed from git; prune is off", change.Reason);
    }

    [Fact]
    public void OnDelete_Detach_Is_Detached_Even_With_Prune_On()
    {
        var change = Assert.Single(Plan([], inventory: [Entry(StorageId("stkeep"), onDelete: DeleteBehavior.Detach)], options: PruneOn).Changes);
        Assert.Equal(PlanAction.Detach, change.Action);
        Assert.Equal(PlanReasons.OnDeleteDetach, change.Reason);
    }

    [Fact]
    public void Declared_Resources_Are_Never_Pruned()
    {
        var id = StorageId("stkept");
        var resource = Resource(id, "{}");
        var result = Plan([resource], new Dictionary<string, System.Text.Json.Nodes.JsonObject> { [id] = Json("{}") },
            [EntryFor(resource) with { Id = id.ToUpperInvariant() }], PruneOn);
        Assert.Equal(PlanAction.Noop, Assert.Single(result.Changes).Action);
    }

    [Fact]
    public void Deletes_Over_The_Budget_Delete_Nothing_And_Say_Why()
    {
        var entries = Enumerable.Range(0, 12).Select(i => Entry(StorageId($"stgone{i:00}"))).ToList();
        var result = Plan([], inventory: entries, options: PruneOn);

        Assert.Equal(12, result.Changes.Count);
        Assert.All(result.Changes, c =>
        {
            Assert.Equal(PlanAction.Drift, c.Action);
            Assert.Equal("removed from git but not deleted: 12 deletes exceed the budget of 10", c.Reason);
        });
        Assert.Equal(0, result.Summary.Delete);
        var note = Assert.Single(result.Notes);
        Assert.Contains("12", note, StringComparison.Ordinal);
        Assert.Contains("delete budget of 10", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Deletes_At_The_Budget_Go_Ahead()
    {
        var entries = Enumerable.Range(0, 10).Select(i => Entry(StorageId($"stgone{i:00}"))).ToList();
        var result = Plan([], inventory: entries, options: PruneOn);
        Assert.Equal(10, result.Summary.Delete);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Detaches_Do_Not_Count_Against_The_Budget()
    {
        var entries = Enumerable.Range(0, 3).Select(i => Entry(StorageId($"stdel{i}")))
            .Concat(Enumerable.Range(0, 5).Select(i => Entry(StorageId($"stkeep{i}"), onDelete: DeleteBehavior.Detach)))
            .ToList();
        var result = Plan([], inventory: entries, options: new PlanOptions { Prune = new PruneSettings(true, 3) });
        Assert.Equal(3, result.Summary.Delete);
        Assert.Equal(5, result.Summary.Detach);
    }

    [Fact]
    public void Detect_Mode_Deletes_Nothing()
    {
        var change = Assert.Single(Plan([], inventory: [Entry(StorageId("stgone"))], options: PruneOn with { DriftMode = DriftMode.Detect }).Changes);
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal("removed from git; drift mode detect: would delete", change.Reason);
    }

    [Fact]
    public void Deletes_Run_In_Reverse_Dependency_Order()
    {
        var rg = $"/subscriptions/{Sub}/resourceGroups/rg-app";
        var vnet = $"{rg}/providers/Microsoft.Network/virtualNetworks/vnet";
        var subnet = $"{vnet}/subnets/a";
        var nic = $"{rg}/providers/Microsoft.Network/networkInterfaces/nic";
        var entries = new[]
        {
            Entry(rg, type: ResourceIds.ResourceGroupType),
            Entry(nic, dependsOn: [subnet]),
            Entry(vnet, dependsOn: [rg]),
            Entry(subnet, dependsOn: [vnet]),
        };
        var result = Plan([], inventory: entries, options: PruneOn);
        Assert.Equal([nic, subnet, vnet, rg], result.Changes.Select(c => c.Id));
    }
}
