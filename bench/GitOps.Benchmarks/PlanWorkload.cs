using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Benchmarks;

/// <summary>
/// A realistic planner input: storage accounts and virtual networks (about 20 declared fields each, subnets as a named
/// array), live bodies as ARM returns them (server fields, defaults, other location spelling and id casing),
/// an inventory, a few drifted resources and some prune candidates.
/// </summary>
internal sealed class PlanWorkload
{
    private const string Sub = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

    public required List<DeclaredResource> Desired { get; init; }

    public required List<(string Id, byte[] Utf8)> LiveJson { get; init; }

    public required ResourceInventory Inventory { get; init; }

    public static PlanWorkload Create(int count)
    {
        var desired = new List<DeclaredResource>(count + 1);
        var live = new List<(string, byte[])>(count + 1);
        var entries = new List<InventoryEntry>(count + 64);

        var rgId = $"/subscriptions/{Sub}/resourceGroups/rg-bench";
        var rg = new DeclaredResource
        {
            Id = rgId,
            Type = ResourceIds.ResourceGroupType,
            ApiVersion = "2024-03-01",
            Name = "rg-bench",
            SubscriptionId = Sub,
            Body = JsonNode.Parse("""{"location":"westeurope","tags":{"owner":"platform"}}""")!.AsObject(),
        };
        desired.Add(rg);
        live.Add((rgId, Encoding.UTF8.GetBytes($$$"""{"id":"{{{rgId}}}","name":"rg-bench","type":"Microsoft.Resources/resourceGroups","location":"westeurope","tags":{"owner":"platform"},"properties":{"provisioningState":"Succeeded"}}""")));
        entries.Add(new InventoryEntry(rgId, rg.Type, rg.ApiVersion, DeclarationDigest.Compute(rg), []));

        for (var i = 0; i < count; i++)
        {
            var storage = i % 2 == 0;
            var name = storage ? $"stbench{i:D6}" : $"vnet-bench-{i:D6}";
            var type = storage ? "Microsoft.Storage/storageAccounts" : "Microsoft.Network/virtualNetworks";
            var id = ResourceIds.Build(type, name, Sub, "rg-bench", null);
            var drifted = i % 20 == 7;
            var body = storage ? StorageBody(i) : VnetBody(i, "rg-bench");
            var resource = new DeclaredResource
            {
                Id = id,
                Type = type,
                ApiVersion = storage ? "2023-05-01" : "2023-09-01",
                Name = name,
                SubscriptionId = Sub,
                ResourceGroup = "rg-bench",
                Body = JsonNode.Parse(body)!.AsObject(),
                DependsOn = [rgId],
            };
            desired.Add(resource);

            if (i % 50 != 3)
            {
                // 2% absent (creates); the rest present, 5% of those drifted.
                live.Add((id, Encoding.UTF8.GetBytes(storage ? StorageLive(id, name, i, drifted) : VnetLive(id, name, i, drifted, "rg-bench"))));
            }

            if (i % 10 != 0)
            {
                // 10% not yet in the inventory (adoption); 1% with an older declaration.
                var digest = i % 100 == 11 ? "sha256:older" : DeclarationDigest.Compute(resource);
                entries.Add(new InventoryEntry(id, type, resource.ApiVersion, digest, [rgId]));
            }
        }

        for (var i = 0; i < 50; i++)
        {
            var id = ResourceIds.Build("Microsoft.Storage/storageAccounts", $"stgone{i:D4}", Sub, "rg-bench", null);
            entries.Add(new InventoryEntry(id, "Microsoft.Storage/storageAccounts", "2022-09-01", "sha256:x", [rgId]));
        }

        return new PlanWorkload { Desired = desired, LiveJson = live, Inventory = new ResourceInventory(entries) };
    }

    public Dictionary<string, JsonObject> ParseLive()
    {
        var live = new Dictionary<string, JsonObject>(LiveJson.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, utf8) in LiveJson)
        {
            live[id] = JsonNode.Parse(utf8)!.AsObject();
        }

        return live;
    }

    public PlanInput Input(IReadOnlyDictionary<string, JsonObject> live) => new()
    {
        Environment = "bench",
        Desired = Desired,
        Live = live,
        Inventory = Inventory,
        Options = new PlanOptions { Prune = new PruneSettings(true, 100) },
    };

    /// <summary>A declared storage account (about 20 fields).</summary>
    internal static string StorageBody(int i) => $$$"""
        {"location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_ZRS"},
         "tags":{"owner":"platform","env":"bench","costCenter":"{{{i % 97}}}"},
         "identity":{"type":"SystemAssigned"},
         "properties":{"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,
           "supportsHttpsTrafficOnly":true,"accessTier":"Hot","isHnsEnabled":false,"publicNetworkAccess":"Disabled",
           "defaultToOAuthAuthentication":true,
           "networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[{"value":"20.1.{{{i % 250}}}.0/24","action":"Allow"}]},
           "encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,
             "services":{"blob":{"enabled":true,"keyType":"Account"},"file":{"enabled":true,"keyType":"Account"}} },
           "sasPolicy":{"sasExpirationPeriod":"1.00:00:00","expirationAction":"Log"}} }
        """;

    /// <summary>The storage account as ARM returns it: server fields, defaults, lower-cased id, display-name location.</summary>
    internal static string StorageLive(string id, string name, int i, bool drifted) => $$$"""
        {"id":"{{{id.ToLowerInvariant()}}}","name":"{{{name}}}","type":"Microsoft.Storage/storageAccounts","location":"West Europe",
         "kind":"StorageV2","sku":{"name":"Standard_ZRS","tier":"Standard"},"etag":"\"0x8DC{{{i:X8}}}\"",
         "tags":{"owner":"platform","env":"bench","costCenter":"{{{i % 97}}}"},
         "identity":{"type":"SystemAssigned","principalId":"11111111-2222-3333-4444-{{{i:D12}}}","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47"},
         "systemData":{"createdBy":"gitops","createdByType":"Application","createdAt":"2024-05-01T10:00:00Z","lastModifiedAt":"2024-05-02T10:00:00Z"},
         "properties":{"provisioningState":"Succeeded","creationTime":"2024-05-01T10:00:00.1234567Z",
           "minimumTlsVersion":"{{{(drifted ? "TLS1_0" : "TLS1_2")}}}","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,
           "supportsHttpsTrafficOnly":true,"accessTier":"Hot","isHnsEnabled":false,"publicNetworkAccess":"Disabled",
           "defaultToOAuthAuthentication":true,"allowCrossTenantReplication":false,"dnsEndpointType":"Standard",
           "keyCreationTime":{"key1":"2024-05-01T10:00:00Z","key2":"2024-05-01T10:00:00Z"},
           "networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","virtualNetworkRules":[],"ipv6Rules":[],
             "ipRules":[{"value":"20.1.{{{i % 250}}}.0/24","action":"Allow"}]},
           "encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,
             "services":{"blob":{"enabled":true,"keyType":"Account","lastEnabledTime":"2024-05-01T10:00:00Z"},
               "file":{"enabled":true,"keyType":"Account","lastEnabledTime":"2024-05-01T10:00:00Z"}} },
           "sasPolicy":{"sasExpirationPeriod":"1.00:00:00","expirationAction":"Log"},
           "primaryEndpoints":{"blob":"https://{{{name}}}.blob.core.windows.net/","queue":"https://{{{name}}}.queue.core.windows.net/",
             "table":"https://{{{name}}}.table.core.windows.net/","file":"https://{{{name}}}.file.core.windows.net/",
             "dfs":"https://{{{name}}}.dfs.core.windows.net/","web":"https://{{{name}}}.z6.web.core.windows.net/"},
           "primaryLocation":"westeurope","statusOfPrimary":"available","secondaryLocation":"northeurope","statusOfSecondary":"available"}}
        """;

    /// <summary>A declared virtual network with three subnets (a named array) and an NSG reference in <paramref name="group"/>.</summary>
    internal static string VnetBody(int i, string group) => $$$"""
        {"location":"West Europe","tags":{"owner":"platform","env":"bench"},
         "properties":{"addressSpace":{"addressPrefixes":["10.{{{i % 250}}}.0.0/16"]},"enableDdosProtection":false,
           "flowTimeoutInMinutes":10,"dhcpOptions":{"dnsServers":["10.0.0.4","10.0.0.5"]},
           "subnets":[
             {"name":"app","properties":{"addressPrefix":"10.{{{i % 250}}}.1.0/24","privateEndpointNetworkPolicies":"Disabled",
               "networkSecurityGroup":{"id":"/subscriptions/{{{Sub}}}/resourceGroups/{{{group}}}/providers/Microsoft.Network/networkSecurityGroups/nsg-app"},
               "serviceEndpoints":[{"service":"Microsoft.Storage"}]}},
             {"name":"data","properties":{"addressPrefix":"10.{{{i % 250}}}.2.0/24","privateEndpointNetworkPolicies":"Enabled"}},
             {"name":"AzureBastionSubnet","properties":{"addressPrefix":"10.{{{i % 250}}}.3.0/26"}}]}}
        """;

    /// <summary>The virtual network as ARM returns it: subnets reordered with ids and policies, NSG id in other casing.</summary>
    internal static string VnetLive(string id, string name, int i, bool drifted, string group)
    {
        var n = i % 250;
        var nsg = $"/subscriptions/{Sub}/resourcegroups/{group}/providers/Microsoft.Network/networkSecurityGroups/NSG-APP";
        string Subnet(string subnet, string prefix, string extra) => $$$"""
            {"name":"{{{subnet}}}","id":"{{{id}}}/subnets/{{{subnet}}}","etag":"W/\"{{{i}}}\"","type":"Microsoft.Network/virtualNetworks/subnets",
             "properties":{"provisioningState":"Succeeded","addressPrefix":"{{{prefix}}}","delegations":[],
               "privateLinkServiceNetworkPolicies":"Enabled"{{{extra}}}}}
            """;
        var subnets = string.Join(',',
            Subnet("data", $"10.{n}.2.0/24", ""","privateEndpointNetworkPolicies":"Enabled" """),
            Subnet("app", $"10.{n}.1.0/24", $$$""","privateEndpointNetworkPolicies":"Disabled","networkSecurityGroup":{"id":"{{{nsg}}}"},"serviceEndpoints":[{"service":"Microsoft.Storage","locations":["westeurope"],"provisioningState":"Succeeded"}]"""),
            Subnet("AzureBastionSubnet", drifted ? $"10.{n}.3.0/27" : $"10.{n}.3.0/26", ""","privateEndpointNetworkPolicies":"Disabled" """));
        return $$$"""
            {"id":"{{{id}}}","name":"{{{name}}}","type":"Microsoft.Network/virtualNetworks","location":"westeurope","etag":"W/\"{{{i}}}\"",
             "tags":{"owner":"platform","env":"bench"},
             "properties":{"provisioningState":"Succeeded","resourceGuid":"{{{Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture)}}}",
               "addressSpace":{"addressPrefixes":["10.{{{n}}}.0.0/16"]},"enableDdosProtection":false,"flowTimeoutInMinutes":10,
               "dhcpOptions":{"dnsServers":["10.0.0.4","10.0.0.5"]},"virtualNetworkPeerings":[],
               "privateEndpointVNetPolicies":"Disabled","subnets":[{{{subnets}}}]}}
            """;
    }
}
