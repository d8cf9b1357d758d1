using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

/// <summary>
/// Issue 19, item 2: a first apply or an adoption learns which declared resources exist from paged list calls, and
/// GETs only those that exist; against the simulator over HTTPS with the real client.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ListExistenceTests
{
    private const string StorageCollection = $"{GroupId}/providers/Microsoft.Storage/storageAccounts";

    [Fact]
    public async Task A_Collection_Is_Listed_Page_By_Page_With_Next_Links_On_The_Arm_Endpoint()
    {
        await using var harness = await ReconcileHarness.StartAsync(sim => sim.ListPageSize = 3);
        harness.Sim.Seed(new JsonObject { ["id"] = GroupId, ["location"] = "westeurope" });
        var seeded = Enumerable.Range(1, 7).Select(i => harness.Sim.Seed(Account(ExtraStorageId(i)))).ToList();

        var ids = new List<string>();
        var pages = new List<ArmListPage>();
        string? next = null;
        do
        {
            var page = await harness.Client.ListAsync(StorageCollection, StorageApi, next);
            pages.Add(page);
            ids.AddRange(page.Ids);
            next = page.NextLink;
        }
        while (next is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Ids.Count));
        Assert.All(pages.SkipLast(1), p => Assert.StartsWith(harness.Simulator.Endpoint.GetLeftPart(UriPartial.Authority), p.NextLink, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(seeded.Order(StringComparer.OrdinalIgnoreCase), ids.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.All(harness.Sim.Requests, r => Assert.Equal(StorageApi, r.ApiVersion));
    }

    [Fact]
    public async Task A_List_Under_A_Missing_Group_Or_Parent_Says_So_And_Another_Missing_Path_Throws()
    {
        await using var harness = await ReconcileHarness.StartAsync();

        var noGroup = await harness.Client.ListAsync(StorageCollection, StorageApi, null);
        harness.Sim.Seed(new JsonObject { ["id"] = GroupId, ["location"] = "westeurope" });
        var noNetwork = await harness.Client.ListAsync($"{VnetId}/subnets", SubnetApi, null);
        var empty = await harness.Client.ListAsync(StorageCollection, StorageApi, null);
        var notACollection = await Assert.ThrowsAsync<ArmRequestException>(() => harness.Client.ListAsync($"{GroupId}/unknownThings", StorageApi, null));

        Assert.True(noGroup.ParentMissing);
        Assert.True(noNetwork.ParentMissing);
        Assert.False(empty.ParentMissing);
        Assert.Empty(empty.Ids);
        Assert.Null(empty.NextLink);
        Assert.Equal(404, notACollection.Status);
    }

    [Fact]
    public async Task A_First_Apply_Reads_No_Resource_And_Creates_Everything()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree(extra: ExtraStorage(10)));

        var run = await harness.ApplyAsync(loaded);

        Assert.True(run.Applied.Succeeded, RequestLog.Describe(harness.Sim.Requests));
        Assert.Equal(AllIds.Length + 10, run.Plan.Summary.Create);
        // The resource group list answers for all 17: the group is absent, so everything below it is.
        var lists = harness.Sim.Requests.Where(r => r.Method == "GET" && !loaded.Resources.Any(d => r.IsFor(d.Id))).ToList();
        Assert.Single(lists, r => r.Path.EndsWith("/resourceGroups", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(harness.Sim.Requests, r => r.Method == "GET" && r.StatusCode == 404 && loaded.Resources.Any(d => r.IsFor(d.Id)));
    }

    [Fact]
    public async Task An_Adoption_Reads_Only_The_Resources_That_Exist_And_Plans_Them_Against_Their_Live_State()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree(extra: ExtraStorage(10)));
        harness.Sim.Seed(new JsonObject { ["id"] = GroupId, ["location"] = "westeurope", ["tags"] = new JsonObject { ["owner"] = "platform-team", ["environment"] = EnvironmentName } });
        harness.Sim.Seed(Account(ExtraStorageId(3)));
        harness.Sim.Seed(Account(ExtraStorageId(7)));
        harness.Sim.ClearRequests();

        var plan = await harness.PlanAsync(loaded);

        // The group and the two accounts exist; the network security group and the SQL server are alone in their
        // collections, where a GET costs what a list does and brings the body too.
        var resourceGets = harness.Sim.Requests.Where(r => r.Method == "GET" && loaded.Resources.Any(d => r.IsFor(d.Id))).Select(r => r.Path).ToList();
        Assert.Equal(
            new[] { GroupId, ExtraStorageId(3), ExtraStorageId(7), NsgId, SqlServerId }.Order(StringComparer.OrdinalIgnoreCase),
            resourceGets.Order(StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);
        Assert.Equal(PlanAction.Create, plan.Change(ExtraStorageId(1)).Action);
        Assert.NotEqual(PlanAction.Create, plan.Change(ExtraStorageId(3)).Action);
        Assert.NotEqual(PlanAction.Create, plan.Change(GroupId).Action);
        // Below the absent network nothing is listed or read: its subnet is absent with it.
        Assert.Equal(PlanAction.Create, plan.Change(SubnetId).Action);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.Path.Contains("/subnets", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Resources_The_Inventory_Knows_Are_Read_Without_Lists()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree(extra: ExtraStorage(4)));
        Assert.True((await harness.ApplyAsync(loaded)).Applied.Succeeded);
        harness.Sim.ClearRequests();

        var plan = await harness.PlanAsync(loaded);

        RequestLog.AssertAllNoop(plan, AllIds.Length + 4);
        Assert.Equal(AllIds.Length + 4, harness.Sim.Requests.Count);
        Assert.All(harness.Sim.Requests, r => Assert.Contains(loaded.Resources, d => r.IsFor(d.Id)));
    }

    [Fact]
    public async Task A_List_That_Fails_Concludes_Nothing_And_Every_Resource_Of_It_Is_Read()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        harness.Sim.Seed(new JsonObject { ["id"] = GroupId, ["location"] = "westeurope" });
        harness.Sim.Seed(Account(ExtraStorageId(2)));
        harness.Sim.AddFault(new ArmFaultRule
        {
            Method = "GET",
            PathPattern = "*/providers/Microsoft.Storage/storageAccounts",
            StatusCode = 403,
            ErrorCode = "AuthorizationFailed",
            Message = "The client does not have authorization to perform action 'Microsoft.Storage/storageAccounts/read' over scope of the group.",
        });
        var loaded = ReconcileHarness.Load(Tree(extra: ExtraStorage(3)));
        harness.Sim.ClearRequests();

        var plan = await harness.PlanAsync(loaded);

        Assert.Single(harness.Sim.Requests, r => r.Path.Equals(StorageCollection, StringComparison.OrdinalIgnoreCase) && r.StatusCode == 403);
        foreach (var id in new[] { StorageId, ExtraStorageId(1), ExtraStorageId(2), ExtraStorageId(3) })
        {
            Assert.Single(harness.Sim.Requests.To("GET", id));
        }

        Assert.NotEqual(PlanAction.Create, plan.Change(ExtraStorageId(2)).Action);
        Assert.Equal(PlanAction.Create, plan.Change(ExtraStorageId(1)).Action);
    }

    [Fact]
    public async Task A_Collection_Needing_More_Pages_Than_The_Gets_It_Saves_Is_Read_With_Gets()
    {
        // 9 accounts of someone else in the group, 3 pages of 3; the list could answer for only 2 declared accounts.
        await using var harness = await ReconcileHarness.StartAsync(sim => sim.ListPageSize = 3);
        harness.Sim.Seed(new JsonObject { ["id"] = GroupId, ["location"] = "westeurope" });
        foreach (var i in Enumerable.Range(50, 9))
        {
            harness.Sim.Seed(Account(ExtraStorageId(i)));
        }

        var loaded = ReconcileHarness.Load(Tree(omit: [Vnet, Subnet, Nsg, RoleAssignment, SqlServer], extra: ExtraStorage(1)));
        harness.Sim.ClearRequests();

        var plan = await harness.PlanAsync(loaded);

        Assert.Equal(2, harness.Sim.Requests.Count(r => r.Path.Equals(StorageCollection, StringComparison.OrdinalIgnoreCase)));
        Assert.Single(harness.Sim.Requests.To("GET", StorageId));
        Assert.Single(harness.Sim.Requests.To("GET", ExtraStorageId(1)));
        Assert.Equal(PlanAction.Create, plan.Change(StorageId).Action);
    }

    private static JsonObject Account(string id) => new()
    {
        ["id"] = id,
        ["location"] = "westeurope",
        ["sku"] = new JsonObject { ["name"] = "Standard_LRS" },
        ["kind"] = "StorageV2",
        ["tags"] = new JsonObject { ["owner"] = "platform-team" },
    };
}
