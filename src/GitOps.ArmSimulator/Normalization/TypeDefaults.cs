using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.Normalization;

/// <summary>
/// Values some resource providers add to what was sent: defaults for omitted properties, values derived from others
/// (<c>sku.tier</c> from <c>sku.name</c>), computed read-only properties and server fields inside array elements.
/// These are the differences a drift detector must not report (docs/arm-protocol.md §5 and §7.5-7.6).
/// </summary>
internal static class TypeDefaults
{
    private static readonly Dictionary<string, Action<ArmResourceId, string, JsonObject>> Table =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.Storage/storageAccounts"] = StorageAccount,
            ["Microsoft.Network/virtualNetworks"] = VirtualNetwork,
            ["Microsoft.Network/virtualNetworks/subnets"] = Subnet,
            ["Microsoft.Network/networkSecurityGroups"] = NetworkSecurityGroup,
            ["Microsoft.KeyVault/vaults"] = KeyVault,
            ["Microsoft.Cache/redis"] = Redis,
            ["Microsoft.Web/serverfarms"] = AppServicePlan,
            ["Microsoft.ServiceBus/namespaces"] = TierFromName,
            ["Microsoft.EventHub/namespaces"] = TierFromName,
        };

    /// <summary>The types that have an entry, for the documentation test.</summary>
    public static IEnumerable<string> Types => Table.Keys;

    /// <summary>Applies the defaults of the resource's type to <paramref name="body"/>; <paramref name="renderedId"/> is the id the resource reports.</summary>
    public static void Apply(ArmResourceId id, string renderedId, JsonObject body)
    {
        if (Table.TryGetValue(id.FullType, out var apply))
        {
            apply(id, renderedId, body);
        }
    }

    private static void StorageAccount(ArmResourceId id, string renderedId, JsonObject body)
    {
        if (body["sku"] is JsonObject sku && JsonEdit.String(sku, "name") is { } skuName)
        {
            JsonEdit.Default(sku, "tier", skuName.StartsWith("Premium", StringComparison.OrdinalIgnoreCase) ? "Premium" : "Standard");
        }

        JsonEdit.Default(body, "kind", "StorageV2");
        var properties = JsonEdit.Object(body, "properties");
        JsonEdit.Default(properties, "supportsHttpsTrafficOnly", true);
        JsonEdit.Default(properties, "accessTier", "Hot");
        JsonEdit.Default(properties, "encryption", new JsonObject
        {
            ["services"] = new JsonObject
            {
                ["blob"] = new JsonObject { ["enabled"] = true, ["keyType"] = "Account" },
                ["file"] = new JsonObject { ["enabled"] = true, ["keyType"] = "Account" },
            },
            ["keySource"] = "Microsoft.Storage",
        });
        properties["primaryEndpoints"] = new JsonObject
        {
            ["blob"] = $"https://{id.Name}.blob.core.windows.net/",
            ["queue"] = $"https://{id.Name}.queue.core.windows.net/",
            ["table"] = $"https://{id.Name}.table.core.windows.net/",
            ["file"] = $"https://{id.Name}.file.core.windows.net/",
        };
        properties["statusOfPrimary"] = "available";
    }

    private static void VirtualNetwork(ArmResourceId id, string renderedId, JsonObject body)
    {
        var properties = JsonEdit.Object(body, "properties");
        JsonEdit.Default(properties, "subnets", new JsonArray());
        JsonEdit.Default(properties, "enableDdosProtection", false);
        JsonEdit.Default(properties, "virtualNetworkPeerings", new JsonArray());
        properties["resourceGuid"] = Guid.NewGuid().ToString();
        foreach (var subnet in JsonEdit.Objects(properties, "subnets"))
        {
            AddElementServerFields(subnet, renderedId + "/subnets", "Microsoft.Network/virtualNetworks/subnets");
            SubnetPolicies(JsonEdit.Object(subnet, "properties"));
        }
    }

    private static void Subnet(ArmResourceId id, string renderedId, JsonObject body) =>
        SubnetPolicies(JsonEdit.Object(body, "properties"));

    private static void SubnetPolicies(JsonObject properties)
    {
        JsonEdit.Default(properties, "privateEndpointNetworkPolicies", "Disabled");
        JsonEdit.Default(properties, "privateLinkServiceNetworkPolicies", "Enabled");
    }

    private static void NetworkSecurityGroup(ArmResourceId id, string renderedId, JsonObject body)
    {
        var properties = JsonEdit.Object(body, "properties");
        JsonEdit.Default(properties, "securityRules", new JsonArray());
        properties["resourceGuid"] = Guid.NewGuid().ToString();
        foreach (var rule in JsonEdit.Objects(properties, "securityRules"))
        {
            AddElementServerFields(rule, renderedId + "/securityRules", "Microsoft.Network/networkSecurityGroups/securityRules");
        }

        var defaults = new JsonArray();
        foreach (var (name, access, direction, priority, source, destination) in DefaultSecurityRules)
        {
            var rule = new JsonObject
            {
                ["name"] = name,
                ["properties"] = new JsonObject
                {
                    ["description"] = $"Default rule {name}",
                    ["protocol"] = "*",
                    ["sourcePortRange"] = "*",
                    ["destinationPortRange"] = "*",
                    ["sourceAddressPrefix"] = source,
                    ["destinationAddressPrefix"] = destination,
                    ["access"] = access,
                    ["priority"] = priority,
                    ["direction"] = direction,
                },
            };
            AddElementServerFields(rule, renderedId + "/defaultSecurityRules", "Microsoft.Network/networkSecurityGroups/defaultSecurityRules");
            defaults.Add(rule);
        }

        properties["defaultSecurityRules"] = defaults;
    }

    private static readonly (string Name, string Access, string Direction, int Priority, string Source, string Destination)[] DefaultSecurityRules =
    [
        ("AllowVnetInBound", "Allow", "Inbound", 65000, "VirtualNetwork", "VirtualNetwork"),
        ("AllowAzureLoadBalancerInBound", "Allow", "Inbound", 65001, "AzureLoadBalancer", "*"),
        ("DenyAllInBound", "Deny", "Inbound", 65500, "*", "*"),
        ("AllowVnetOutBound", "Allow", "Outbound", 65000, "VirtualNetwork", "VirtualNetwork"),
        ("AllowInternetOutBound", "Allow", "Outbound", 65001, "*", "Internet"),
        ("DenyAllOutBound", "Deny", "Outbound", 65500, "*", "*"),
    ];

    /// <summary>Network RPs return id, type, etag and provisioningState inside each named element of an inline collection.</summary>
    private static void AddElementServerFields(JsonObject element, string collectionId, string type)
    {
        var name = JsonEdit.String(element, "name") ?? "unnamed";
        element["id"] = $"{collectionId}/{name}";
        element["type"] = type;
        element["etag"] = JsonEdit.NewETag();
        JsonEdit.Object(element, "properties")["provisioningState"] = "Succeeded";
    }

    private static void KeyVault(ArmResourceId id, string renderedId, JsonObject body)
    {
        var properties = JsonEdit.Object(body, "properties");
        JsonEdit.Default(properties, "enableSoftDelete", true);
        JsonEdit.Default(properties, "softDeleteRetentionInDays", 90);
        JsonEdit.Default(properties, "accessPolicies", new JsonArray());
        properties["vaultUri"] = $"https://{id.Name}.vault.azure.net/";
    }

    private static void Redis(ArmResourceId id, string renderedId, JsonObject body)
    {
        var properties = JsonEdit.Object(body, "properties");
        // The RP turns a major version into the exact one it runs.
        properties["redisVersion"] = JsonEdit.String(properties, "redisVersion") switch
        {
            null or "" or "latest" or "6" => "6.0.14",
            "4" => "4.0.14",
            var exact => exact,
        };
        JsonEdit.Default(properties, "enableNonSslPort", false);
        properties["hostName"] = $"{id.Name}.redis.cache.windows.net";
        properties["port"] = 6379;
        properties["sslPort"] = 6380;
    }

    private static void AppServicePlan(ArmResourceId id, string renderedId, JsonObject body)
    {
        if (body["sku"] is JsonObject sku && JsonEdit.String(sku, "name") is { } name)
        {
            var tier = name.ToUpperInvariant() switch
            {
                var n when n.StartsWith('F') => "Free",
                var n when n.StartsWith('D') => "Shared",
                var n when n.StartsWith('B') => "Basic",
                var n when n.StartsWith('S') => "Standard",
                var n when n.StartsWith('Y') => "Dynamic",
                var n when n.StartsWith("EP", StringComparison.Ordinal) => "ElasticPremium",
                var n when n.EndsWith("V3", StringComparison.Ordinal) => "PremiumV3",
                var n when n.EndsWith("V2", StringComparison.Ordinal) => "PremiumV2",
                _ => "Premium",
            };
            JsonEdit.Default(sku, "tier", tier);
            JsonEdit.Default(sku, "capacity", 1);
        }

        JsonEdit.Default(JsonEdit.Object(body, "properties"), "reserved", false);
    }

    private static void TierFromName(ArmResourceId id, string renderedId, JsonObject body)
    {
        if (body["sku"] is JsonObject sku && JsonEdit.String(sku, "name") is { } name)
        {
            JsonEdit.Default(sku, "tier", name);
        }
    }
}
