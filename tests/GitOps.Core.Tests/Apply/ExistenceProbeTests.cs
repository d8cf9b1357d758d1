using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Core.Tests.Apply;

/// <summary>
/// The rules of <see cref="ExistenceProbe"/> that the simulator tests (GitOps.Arm.Tests, ListExistenceTests) do not
/// reach: what is never looked for, what a list may conclude, and what it may not.
/// </summary>
public sealed class ExistenceProbeTests
{
    private const string Group = "/subscriptions/s/resourceGroups/rg";
    private const string Accounts = Group + "/providers/Microsoft.Storage/storageAccounts";

    [Fact]
    public async Task Detached_Resources_And_Those_The_Inventory_Knows_Are_Not_Looked_For()
    {
        var arm = new ListingArm();
        var resources = new[] { Account("a"), Account("b"), Account("c", ResourcePolicy.Detach) };
        var known = new ResourceInventory([new InventoryEntry(Accounts + "/a", "Microsoft.Storage/storageAccounts", "2023-05-01", "digest", [])]);

        var live = await new LiveStateObserver(arm).ObserveAsync(resources, known);

        // One unknown resource: a GET costs what a list does, so there is no list; the detached one is never touched.
        Assert.Equal(["GET " + Accounts + "/a", "GET " + Accounts + "/b"], arm.Calls.Order());
        Assert.Empty(live);
    }

    [Fact]
    public async Task Lists_Off_Means_A_Get_For_Every_Resource()
    {
        var arm = new ListingArm();

        await new LiveStateObserver(arm, new ApplyOptions { ListExistence = false }).ObserveAsync([Account("a"), Account("b")], known: null);

        Assert.Equal(["GET " + Accounts + "/a", "GET " + Accounts + "/b"], arm.Calls.Order());
    }

    [Fact]
    public async Task A_Client_That_Cannot_List_Gets_Every_Resource_As_Before()
    {
        var arm = new ListingArm { CanList = false };
        arm.Live.Add(Accounts + "/b");

        var live = await new LiveStateObserver(arm).ObserveAsync([Account("a"), Account("b")], known: null);

        Assert.Contains("GET " + Accounts + "/a", arm.Calls);
        Assert.Contains("GET " + Accounts + "/b", arm.Calls);
        Assert.Equal([Accounts + "/b"], live.Keys);
    }

    [Fact]
    public async Task Members_Missing_From_A_Complete_List_Are_Absent_And_Listed_Ones_Are_Read()
    {
        var arm = new ListingArm();
        arm.Live.UnionWith([Group, Accounts + "/b", Accounts + "/other"]);

        var live = await new LiveStateObserver(arm).ObserveAsync([GroupResource(), Account("a"), Account("b"), Account("c")], known: null);

        Assert.DoesNotContain("GET " + Accounts + "/a", arm.Calls);
        Assert.DoesNotContain("GET " + Accounts + "/c", arm.Calls);
        Assert.Contains("GET " + Accounts + "/b", arm.Calls);
        Assert.Equal(new[] { Group, Accounts + "/b" }.Order(StringComparer.OrdinalIgnoreCase), live.Keys.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Ids_Are_Compared_Without_Case()
    {
        var arm = new ListingArm();
        arm.Live.UnionWith([Group, (Accounts + "/B").ToUpperInvariant()]);

        var live = await new LiveStateObserver(arm).ObserveAsync([GroupResource(), Account("a"), Account("b")], known: null);

        Assert.Contains("GET " + Accounts + "/b", arm.Calls);
        Assert.True(live.ContainsKey(Accounts + "/b"));
    }

    [Fact]
    public async Task Cancellation_Is_Not_Taken_For_A_Failed_List()
    {
        var arm = new ListingArm();
        using var cancel = new CancellationTokenSource();
        arm.OnList = _ => cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LiveStateObserver(arm).ObserveAsync([Account("a"), Account("b")], null, cancel.Token));
    }

    private static DeclaredResource GroupResource() => new()
    {
        Id = Group,
        Type = "Microsoft.Resources/resourceGroups",
        ApiVersion = "2024-03-01",
        Name = "rg",
        Body = [],
        Reconcile = ReconcileSettings.Default,
    };

    private static DeclaredResource Account(string name, ResourcePolicy policy = ResourcePolicy.Manage) => new()
    {
        Id = $"{Accounts}/{name}",
        Type = "Microsoft.Storage/storageAccounts",
        ApiVersion = "2023-05-01",
        Name = name,
        Body = [],
        Reconcile = ReconcileSettings.Default with { Policy = policy },
    };

    // An ARM with one page per collection: a collection's members are the live ids one segment below it.
    private sealed class ListingArm : IArmResourceClient
    {
        public HashSet<string> Live { get; } = new(StringComparer.OrdinalIgnoreCase);

        public ConcurrentQueue<string> Calls { get; } = new();

        public bool CanList { get; init; } = true;

        public Action<string>? OnList { get; set; }

        public Task<ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Calls.Enqueue("GET " + resourceId);
            return Task.FromResult(Live.Contains(resourceId) ? new ArmResource(resourceId, new JsonObject { ["id"] = resourceId }) : null);
        }

        public Task<ArmListPage> ListAsync(string collectionId, string apiVersion, string? nextLink, CancellationToken cancellationToken = default)
        {
            if (!CanList)
            {
                throw new NotSupportedException("no lists here");
            }

            Calls.Enqueue("LIST " + collectionId);
            OnList?.Invoke(collectionId);
            cancellationToken.ThrowIfCancellationRequested();
            var members = Live.Where(id => id.LastIndexOf('/') == collectionId.Length && id.StartsWith(collectionId + "/", StringComparison.OrdinalIgnoreCase)).ToList();
            return Task.FromResult(new ArmListPage(members, null));
        }

        public Task<ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, JsonObject body, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("observing never writes");

        public Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("observing never writes");
    }
}
