using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;

namespace GitOps.Benchmarks;

/// <summary>
/// An environment that is already in sync: N resources (storage accounts and virtual networks, alternating) spread
/// over G resource groups, the groups declared too, the live bodies as ARM returns them (to seed the simulator) and an
/// inventory from the last apply. Planning it against what the simulator returns must give only no-ops.
/// </summary>
internal sealed class ObserveWorkload
{
    public required List<DeclaredResource> Desired { get; init; }

    /// <summary>GET bodies, groups first, for <c>ArmSimulatorState.Seed</c>.</summary>
    public required List<JsonObject> Live { get; init; }

    public required ResourceInventory Inventory { get; init; }

    public static ObserveWorkload Create(string subscriptionId, int resources, int groups)
    {
        var desired = new List<DeclaredResource>(resources + groups);
        var live = new List<JsonObject>(resources + groups);
        var groupIds = new string[groups];
        for (var g = 0; g < groups; g++)
        {
            var name = $"rg-observe-{g:D3}";
            var id = ResourceIds.Build(ResourceIds.ResourceGroupType, name, subscriptionId, null, null);
            groupIds[g] = id;
            desired.Add(new DeclaredResource
            {
                Id = id,
                Type = ResourceIds.ResourceGroupType,
                ApiVersion = "2024-03-01",
                Name = name,
                SubscriptionId = subscriptionId,
                Body = Parse("""{"location":"westeurope","tags":{"owner":"platform","env":"bench"}}"""),
            });
            live.Add(Parse($$$"""
                {"id":"{{{id}}}","name":"{{{name}}}","type":"Microsoft.Resources/resourceGroups","location":"westeurope",
                 "tags":{"owner":"platform","env":"bench"},"properties":{"provisioningState":"Succeeded"}}
                """));
        }

        for (var i = 0; i < resources; i++)
        {
            var g = i % groups;
            var group = $"rg-observe-{g:D3}";
            var storage = i % 2 == 0;
            var name = storage ? $"stobs{i:D6}" : $"vnet-obs-{i:D6}";
            var type = storage ? "Microsoft.Storage/storageAccounts" : "Microsoft.Network/virtualNetworks";
            var id = ResourceIds.Build(type, name, subscriptionId, group, null);
            desired.Add(new DeclaredResource
            {
                Id = id,
                Type = type,
                ApiVersion = storage ? "2023-05-01" : "2023-09-01",
                Name = name,
                SubscriptionId = subscriptionId,
                ResourceGroup = group,
                Body = Parse(storage ? PlanWorkload.StorageBody(i) : PlanWorkload.VnetBody(i, group)),
                DependsOn = [groupIds[g]],
            });
            live.Add(Parse(storage
                ? PlanWorkload.StorageLive(id, name, i, drifted: false)
                : PlanWorkload.VnetLive(id, name, i, drifted: false, group)));
        }

        // The last apply wrote exactly these declarations, so every digest matches: nothing to update or prune.
        var inventory = new ResourceInventory(desired
            .Select(r => new InventoryEntry(r.Id, r.Type, r.ApiVersion, DeclarationDigest.Compute(r), r.DependsOn))
            .ToList());
        return new ObserveWorkload { Desired = desired, Live = live, Inventory = inventory };
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
