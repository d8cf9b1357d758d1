using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class OrderTests
{
    private static readonly string Rg = $"/subscriptions/{Sub}/resourceGroups/rg-app";
    private static readonly string Vnet = $"{Rg}/providers/Microsoft.Network/virtualNetworks/vnet";
    private static readonly string SubnetA = $"{Vnet}/subnets/a";
    private static readonly string SubnetB = $"{Vnet}/subnets/B";
    private static readonly string Storage = StorageId("stapp");

    private static List<GitOps.Core.Manifests.DeclaredResource> Declared() =>
    [
        Resource(SubnetB, "{}", dependsOn: [Vnet]),
        Resource(Storage, "{}", dependsOn: [Rg]),
        Resource(SubnetA, "{}", dependsOn: [Vnet]),
        Resource(Rg, "{}"),
        Resource(Vnet, "{}", dependsOn: [Rg]),
    ];

    [Fact]
    public void Declared_Resources_Come_In_Dependency_Waves_Ids_Ordered_Within_A_Wave()
    {
        var result = Plan(Declared());
        // Wave 2 holds the vnet and the storage account: ids sort Microsoft.Network before Microsoft.Storage.
        Assert.Equal([Rg, Vnet, Storage, SubnetA, SubnetB], result.Changes.Select(c => c.Id));
    }

    [Fact]
    public void Order_Does_Not_Depend_On_Input_Order()
    {
        var declared = Declared();
        var expected = Plan(declared).Changes.Select(c => c.Id).ToList();
        for (var seed = 0; seed < 10; seed++)
        {
            var shuffled = declared.OrderBy(_ => Random.Shared.Next()).ToList();
            Assert.Equal(expected, Plan(shuffled).Changes.Select(c => c.Id));
        }
    }

    [Fact]
    public void Every_Declared_Resource_Appears_Then_Prune_Changes()
    {
        var gone = StorageId("stgone");
        var live = new Dictionary<string, JsonObject> { [Storage] = Json("{}") };
        var result = Plan(Declared(), live, [Entry(gone)]);
        Assert.Equal(6, result.Changes.Count);
        Assert.Equal(PlanAction.Noop, result.Changes.Single(c => c.Id == Storage).Action);
        Assert.Equal(gone, result.Changes[^1].Id);
        Assert.Equal(new PlanSummary(Create: 4, Update: 0, Delete: 0, Detach: 1, Noop: 1, Drift: 0), result.Summary);
    }

    [Fact]
    public void A_Cycle_Still_Plans_Every_Resource_And_Notes_It()
    {
        var a = StorageId("sta");
        var b = StorageId("stb");
        var result = Plan([Resource(b, "{}", dependsOn: [a]), Resource(a, "{}", dependsOn: [b]), Resource(Rg, "{}")]);
        Assert.Equal([Rg, a, b], result.Changes.Select(c => c.Id));
        Assert.Contains(result.Notes, n => n.StartsWith("dependency cycle:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Resource_Declared_Twice_Is_Rejected_With_Both_Locations()
    {
        var ex = Assert.Throws<ArgumentException>(() => Plan([Resource(Storage, "{}"), Resource(Storage.ToUpperInvariant(), "{}")]));
        Assert.Contains("declared twice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("resources/app.yaml:1:1", ex.Message, StringComparison.Ordinal);
    }
}
