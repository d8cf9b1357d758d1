using GitOps.Core.Ports;

namespace GitOps.Arm.Tests.Integration;

/// <summary>
/// A small, realistic environment as YAML: a resource group, a storage account (location given as a display name),
/// a virtual network with a subnet declared as a child resource, a network security group with security rules, a
/// role assignment scoped on the storage account, and a SQL server whose admin password is write-only.
/// </summary>
internal static class Declarations
{
    public const string EnvironmentName = "it";
    public const string Subscription = "00000000-0000-0000-0000-0000000000a1";
    public const string ResourceGroup = "rg-it-app";

    public const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}";
    public const string StorageId = $"{GroupId}/providers/Microsoft.Storage/storageAccounts/stitapp01";
    public const string VnetId = $"{GroupId}/providers/Microsoft.Network/virtualNetworks/vnet-it";
    public const string SubnetId = $"{VnetId}/subnets/snet-app";
    public const string NsgId = $"{GroupId}/providers/Microsoft.Network/networkSecurityGroups/nsg-it-app";
    public const string RoleAssignmentId = $"{StorageId}/providers/Microsoft.Authorization/roleAssignments/{RoleAssignmentName}";
    public const string SqlServerId = $"{GroupId}/providers/Microsoft.Sql/servers/sql-it-app";

    public const string RoleAssignmentName = "0c7f3a51-9d2e-4b6a-8f14-7e3d2c1b0a96";

    // Different api-versions per type, so a test can tell which one went on the wire.
    public const string GroupApi = "2024-03-01";
    public const string StorageApi = "2023-05-01";
    public const string VnetApi = "2023-11-01";
    public const string SubnetApi = "2024-05-01";
    public const string NsgApi = "2024-01-01";
    public const string RoleApi = "2022-04-01";
    public const string SqlApi = "2023-08-01";

    public static readonly string[] AllIds = [GroupId, StorageId, VnetId, SubnetId, NsgId, RoleAssignmentId, SqlServerId];

    public const string Group = $$$"""
        type: Microsoft.Resources/resourceGroups@{{{GroupApi}}}
        name: {{{ResourceGroup}}}
        location: westeurope
        tags:
          owner: platform-team
          environment: ${{ env.name }}
        """;

    public const string Storage = $$$"""
        type: Microsoft.Storage/storageAccounts@{{{StorageApi}}}
        name: stitapp01
        resourceGroup: {{{ResourceGroup}}}
        location: West Europe
        sku:
          name: Standard_LRS
        kind: StorageV2
        tags:
          owner: platform-team
        properties:
          minimumTlsVersion: TLS1_2
          allowBlobPublicAccess: false
        """;

    public const string Vnet = $$$"""
        type: Microsoft.Network/virtualNetworks@{{{VnetApi}}}
        name: vnet-it
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        properties:
          addressSpace:
            addressPrefixes: [ 10.30.0.0/16 ]
        reconcile:
          # Subnets are child resources below; the GET lists them inside the network too.
          ignore: [ /properties/subnets ]
        """;

    public const string Subnet = $$$"""
        type: Microsoft.Network/virtualNetworks/subnets@{{{SubnetApi}}}
        name: vnet-it/snet-app
        resourceGroup: {{{ResourceGroup}}}
        properties:
          addressPrefix: 10.30.1.0/24
          networkSecurityGroup:
            id: ${{ ref(Microsoft.Network/networkSecurityGroups/nsg-it-app) }}
        """;

    public const string Nsg = $$$"""
        type: Microsoft.Network/networkSecurityGroups@{{{NsgApi}}}
        name: nsg-it-app
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        properties:
          securityRules:
            - name: allow-https
              properties:
                priority: 100
                direction: Inbound
                access: Allow
                protocol: Tcp
                sourceAddressPrefix: AzureFrontDoor.Backend
                sourcePortRange: '*'
                destinationAddressPrefix: VirtualNetwork
                destinationPortRange: '443'
            - name: deny-all-inbound
              properties:
                priority: 4096
                direction: Inbound
                access: Deny
                protocol: '*'
                sourceAddressPrefix: '*'
                sourcePortRange: '*'
                destinationAddressPrefix: '*'
                destinationPortRange: '*'
        """;

    public const string RoleAssignment = $$$"""
        type: Microsoft.Authorization/roleAssignments@{{{RoleApi}}}
        name: {{{RoleAssignmentName}}}
        scope: Microsoft.Storage/storageAccounts/stitapp01
        properties:
          roleDefinitionId: /subscriptions/${{ env.subscriptionId }}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1
          principalId: 5d1c0a7e-2b3f-4e8d-9a6c-1f0e2d3c4b5a
          principalType: Group
        """;

    public const string SqlServer = $$$"""
        type: Microsoft.Sql/servers@{{{SqlApi}}}
        name: sql-it-app
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        properties:
          administratorLogin: sqladmin
          administratorLoginPassword: ${{ vars.sqlAdminPassword }}
          minimalTlsVersion: '1.2'
        """;

    /// <summary>The api-version declared for each id.</summary>
    public static readonly IReadOnlyDictionary<string, string> ApiVersions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [GroupId] = GroupApi,
        [StorageId] = StorageApi,
        [VnetId] = VnetApi,
        [SubnetId] = SubnetApi,
        [NsgId] = NsgApi,
        [RoleAssignmentId] = RoleApi,
        [SqlServerId] = SqlApi,
    };

    /// <summary>The whole environment, one file per area, as a config repository would hold it.</summary>
    public static InMemoryFileTree Tree(bool prune = true, int deleteBudget = 10, string[]? omit = null, string[]? extra = null) =>
        TreeOf(prune, deleteBudget, new Dictionary<string, string[]>
        {
            ["resource-group.yaml"] = [Group],
            ["storage.yaml"] = [Storage, RoleAssignment],
            ["network.yaml"] = [Vnet, Subnet, Nsg],
            ["sql.yaml"] = [SqlServer],
            ["more.yaml"] = extra ?? [],
        }.ToDictionary(f => f.Key, f => f.Value.Where(d => omit is null || !omit.Contains(d)).ToArray()));

    /// <summary>The id of extra storage account <paramref name="index"/> (see <see cref="ExtraStorage"/>).</summary>
    public static string ExtraStorageId(int index) => $"{GroupId}/providers/Microsoft.Storage/storageAccounts/stitextra{index:D2}";

    /// <summary>More storage accounts, for tests that need more requests.</summary>
    public static string[] ExtraStorage(int count) => Enumerable.Range(1, count).Select(i => $$$"""
        type: Microsoft.Storage/storageAccounts@{{{StorageApi}}}
        name: stitextra{{{i:D2}}}
        resourceGroup: {{{ResourceGroup}}}
        location: westeurope
        sku: { name: Standard_ZRS }
        properties: { minimumTlsVersion: TLS1_2 }
        """).ToArray();

    /// <summary>A tree with <c>gitops.yaml</c> and the given files (each a list of YAML documents).</summary>
    public static InMemoryFileTree TreeOf(bool prune, int deleteBudget, IReadOnlyDictionary<string, string[]> files)
    {
        var tree = new InMemoryFileTree("integration").Add("gitops.yaml", $$$"""
            version: 1
            environments:
              - name: {{{EnvironmentName}}}
                path: envs/{{{EnvironmentName}}}
                subscriptionId: {{{Subscription}}}
                prune: { enabled: {{{(prune ? "true" : "false")}}}, deleteBudget: {{{deleteBudget}}} }
                variables:
                  sqlAdminPassword: S3cret-Value-Never-Logged!
            """);
        foreach (var (name, documents) in files.Where(f => f.Value.Length > 0))
        {
            tree.Add($"envs/{EnvironmentName}/{name}", string.Join("\n---\n", documents) + "\n");
        }

        return tree;
    }
}
