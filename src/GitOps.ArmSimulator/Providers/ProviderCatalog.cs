using System.Text.Json.Nodes;
using GitOps.ArmSimulator.Normalization;

namespace GitOps.ArmSimulator.Providers;

/// <summary>
/// What <c>GET /subscriptions/{s}/providers/{namespace}</c> reports: a built-in list of api-versions per type, plus every
/// api-version seen in a request, newest first. Some types list a <c>-preview</c> first, as real providers do, which is
/// what Azure.ResourceManager's GenericResource then picks (docs/arm-protocol.md §4).
/// </summary>
internal sealed class ProviderCatalog
{
    private static readonly (string Namespace, string Type, string[] Versions)[] Known =
    [
        ("Microsoft.Resources", "resourceGroups", ["2024-03-01", "2023-07-01", "2022-09-01", "2021-04-01"]),
        ("Microsoft.Resources", "deployments", ["2024-03-01", "2023-07-01", "2022-09-01"]),
        ("Microsoft.Storage", "storageAccounts", ["2024-01-01", "2023-05-01", "2023-01-01", "2022-09-01"]),
        ("Microsoft.Storage", "storageAccounts/blobServices", ["2024-01-01", "2023-05-01", "2023-01-01"]),
        ("Microsoft.Storage", "storageAccounts/blobServices/containers", ["2024-01-01", "2023-05-01", "2023-01-01"]),
        ("Microsoft.Network", "virtualNetworks", ["2024-05-01", "2024-03-01", "2023-11-01", "2023-09-01"]),
        ("Microsoft.Network", "virtualNetworks/subnets", ["2024-05-01", "2024-03-01", "2023-11-01", "2023-09-01"]),
        ("Microsoft.Network", "networkSecurityGroups", ["2024-05-01", "2024-03-01", "2023-11-01", "2023-09-01"]),
        ("Microsoft.Network", "privateDnsZones", ["2024-06-01", "2020-06-01", "2018-09-01"]),
        ("Microsoft.KeyVault", "vaults", ["2024-12-01-preview", "2024-11-01", "2023-07-01", "2022-07-01"]),
        ("Microsoft.KeyVault", "vaults/secrets", ["2024-12-01-preview", "2024-11-01", "2023-07-01", "2022-07-01"]),
        ("Microsoft.Web", "serverfarms", ["2024-04-01", "2023-12-01", "2023-01-01", "2022-09-01"]),
        ("Microsoft.Web", "sites", ["2024-04-01", "2023-12-01", "2023-01-01", "2022-09-01"]),
        ("Microsoft.Cache", "Redis", ["2024-11-01", "2024-03-01", "2023-08-01"]),
        ("Microsoft.ServiceBus", "namespaces", ["2024-01-01", "2022-10-01-preview", "2021-11-01"]),
        ("Microsoft.ServiceBus", "namespaces/queues", ["2024-01-01", "2022-10-01-preview", "2021-11-01"]),
        ("Microsoft.OperationalInsights", "workspaces", ["2025-02-01", "2023-09-01", "2022-10-01"]),
        ("Microsoft.Insights", "components", ["2020-02-02", "2015-05-01"]),
        ("Microsoft.Authorization", "roleAssignments", ["2022-05-01-preview", "2022-04-01", "2020-10-01-preview", "2020-04-01-preview"]),
        ("Microsoft.Authorization", "roleDefinitions", ["2022-05-01-preview", "2022-04-01", "2018-01-01-preview"]),
        ("Microsoft.Authorization", "locks", ["2020-05-01", "2016-09-01"]),
    ];

    private readonly object _gate = new();

    // namespace -> (namespace as first seen, type -> (type as first seen, versions))
    private readonly Dictionary<string, (string Name, Dictionary<string, (string Type, SortedSet<string> Versions)> Types)> _namespaces =
        new(StringComparer.OrdinalIgnoreCase);

    public ProviderCatalog() => Reset();

    public void Reset()
    {
        lock (_gate)
        {
            _namespaces.Clear();
            foreach (var (ns, type, versions) in Known)
            {
                foreach (var version in versions)
                {
                    AddUnlocked(ns, type, version);
                }
            }
        }
    }

    /// <summary>Remembers an api-version a client used for a type, so the listing includes it.</summary>
    public void Record(string providerNamespace, string relativeType, string apiVersion)
    {
        lock (_gate)
        {
            AddUnlocked(providerNamespace, relativeType, apiVersion);
        }
    }

    public JsonObject? Describe(string subscriptionId, string providerNamespace)
    {
        lock (_gate)
        {
            if (!_namespaces.TryGetValue(providerNamespace, out var entry))
            {
                return null;
            }

            var types = new JsonArray();
            foreach (var (type, versions) in entry.Types.Values.OrderBy(t => t.Type, StringComparer.OrdinalIgnoreCase))
            {
                types.Add(new JsonObject
                {
                    ["resourceType"] = type,
                    ["locations"] = new JsonArray(RegionNames.ListedLocations.Select(location => (JsonNode?)location).ToArray()),
                    ["apiVersions"] = new JsonArray(versions.Reverse().Select(version => (JsonNode?)version).ToArray()),
                });
            }

            return new JsonObject
            {
                ["id"] = $"/subscriptions/{subscriptionId}/providers/{entry.Name}",
                ["namespace"] = entry.Name,
                ["registrationState"] = "Registered",
                ["resourceTypes"] = types,
            };
        }
    }

    public IReadOnlyList<string> Namespaces()
    {
        lock (_gate)
        {
            return _namespaces.Values.Select(entry => entry.Name).OrderBy(name => name, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }

    private void AddUnlocked(string providerNamespace, string relativeType, string apiVersion)
    {
        if (!_namespaces.TryGetValue(providerNamespace, out var entry))
        {
            entry = (providerNamespace, new Dictionary<string, (string, SortedSet<string>)>(StringComparer.OrdinalIgnoreCase));
            _namespaces[providerNamespace] = entry;
        }

        if (!entry.Types.TryGetValue(relativeType, out var type))
        {
            type = (relativeType, new SortedSet<string>(StringComparer.OrdinalIgnoreCase));
            entry.Types[relativeType] = type;
        }

        type.Versions.Add(apiVersion);
    }
}
