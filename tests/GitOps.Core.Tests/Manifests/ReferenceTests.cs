using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class ReferenceTests
{
    private const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-app";
    private const string StorageId = $"{GroupId}/providers/Microsoft.Storage/storageAccounts/stapp01";
    private const string VnetId = $"{GroupId}/providers/Microsoft.Network/virtualNetworks/vnet-app";

    private const string Group = """
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-app
        location: westeurope
        """;

    private const string Storage = """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg-app
        location: westeurope
        """;

    private const string Vnet = """
        type: Microsoft.Network/virtualNetworks@2024-05-01
        name: vnet-app
        resourceGroup: rg-app
        location: westeurope
        properties: { addressSpace: { addressPrefixes: [ 10.0.0.0/16 ] } }
        """;

    private static string Documents(params string[] documents) => string.Join("\n---\n", documents) + "\n";

    private static DeclaredResource Find(EnvironmentLoadResult result, string name) => result.Resources.Single(r => r.Name == name);

    [Fact]
    public void Ref_Expands_To_The_Id_And_Adds_A_Dependency()
    {
        var result = LoadSingle(Documents(Group, Storage, """
            type: Microsoft.Insights/diagnosticSettings@2021-05-01-preview
            name: to-storage
            scope: /subscriptions/11111111-2222-3333-4444-555555555555
            properties:
              storageAccountId: ${{ ref(Microsoft.Storage/storageAccounts/stapp01) }}
              quoted: "${{ ref('microsoft.storage/STORAGEACCOUNTS/stapp01') }}/blobServices/default"
            """));

        AssertNoErrors(result);
        var setting = Find(result, "to-storage");
        Assert.Equal(StorageId, setting.Body["properties"]!["storageAccountId"]!.GetValue<string>());
        Assert.Equal(StorageId + "/blobServices/default", setting.Body["properties"]!["quoted"]!.GetValue<string>());
        Assert.Equal([StorageId], setting.DependsOn);
    }

    [Fact]
    public void Resources_Depend_On_Their_Declared_Group_And_Parent()
    {
        var result = LoadSingle(Documents(Group, Vnet, """
            type: Microsoft.Network/virtualNetworks/subnets@2024-05-01
            name: vnet-app/default
            resourceGroup: rg-app
            properties: { addressPrefix: 10.0.1.0/24 }
            """));

        AssertNoErrors(result);
        Assert.Equal([GroupId], Find(result, "vnet-app").DependsOn);
        Assert.Equal([GroupId, VnetId], Find(result, "vnet-app/default").DependsOn.Order(StringComparer.Ordinal));
        Assert.Empty(Find(result, "rg-app").DependsOn);
    }

    [Fact]
    public void DependsOn_Accepts_Provider_Paths_And_Declared_Ids()
    {
        var result = LoadSingle(Documents(Group, Storage, Vnet + $"\ndependsOn:\n  - Microsoft.Storage/storageAccounts/stapp01\n  - {GroupId}\n"));

        AssertNoErrors(result);
        Assert.Equal([GroupId, StorageId], Find(result, "vnet-app").DependsOn.Order(StringComparer.Ordinal));
        Assert.Equal(new SourceLocation("main.yaml", 16, 5), Find(result, "vnet-app").FieldLocations["/dependsOn/0"]);
    }

    [Fact]
    public void Reference_To_An_Undeclared_Resource_Is_Reported_With_A_Suggestion()
    {
        var result = LoadSingle(Documents(Group, Storage, Vnet + "\ntags: { sa: '${{ ref(Microsoft.Storage/storageAccounts/stapp1) }}' }\n"));

        var error = Single(result.Diagnostics, DiagnosticCodes.UnknownReference);
        AssertAt(error, "main.yaml", 15, 18);
        Assert.Contains("did you mean 'Microsoft.Storage/storageAccounts/stapp01'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dependsOn: [ Microsoft.KeyVault/vaults/kv-app ]", 15, 14)]
    [InlineData("dependsOn: [ /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-other ]", 15, 14)]
    [InlineData("dependsOn: [ not-a-path ]", 15, 14)]
    public void DependsOn_On_Something_Undeclared_Is_Reported(string line, int expectedLine, int expectedColumn)
    {
        var result = LoadSingle(Documents(Group, Storage, Vnet + "\n" + line));

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.UnknownReference), "main.yaml", expectedLine, expectedColumn);
    }

    [Fact]
    public void Ref_To_A_Full_Id_Outside_The_Environment_Is_Kept()
    {
        const string External = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub";
        var result = LoadSingle(Documents(Group, Vnet + $"\ntags: {{ hub: '${{{{ ref({External}) }}}}' }}\n"), additionalSubscriptions: ["00000000-0000-0000-0000-000000000000"]);

        AssertNoErrors(result);
        Assert.Equal(External, Find(result, "vnet-app").Body["tags"]!["hub"]!.GetValue<string>());
        Assert.Equal([GroupId], Find(result, "vnet-app").DependsOn);
    }

    [Fact]
    public void Scope_Places_An_Extension_Resource_On_A_Declared_Resource()
    {
        var result = LoadSingle(Documents(Group, Storage, """
            type: Microsoft.Authorization/roleAssignments@2022-04-01
            name: 6f9a3c52-1c8e-4d7b-9e1a-2b3c4d5e6f70
            scope: Microsoft.Storage/storageAccounts/stapp01
            properties:
              roleDefinitionId: /subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe
              principalId: 00000000-0000-0000-0000-0000000000aa
            ---
            type: Microsoft.Authorization/locks@2020-05-01
            name: no-delete
            scope: ${{ ref(Microsoft.Resources/resourceGroups/rg-app) }}
            properties: { level: CanNotDelete }
            """));

        AssertNoErrors(result);
        var assignment = Find(result, "6f9a3c52-1c8e-4d7b-9e1a-2b3c4d5e6f70");
        Assert.Equal(StorageId + "/providers/Microsoft.Authorization/roleAssignments/6f9a3c52-1c8e-4d7b-9e1a-2b3c4d5e6f70", assignment.Id);
        Assert.Equal(StorageId, assignment.Scope);
        Assert.Null(assignment.ResourceGroup);
        Assert.Equal(Subscription, assignment.SubscriptionId);
        Assert.Equal([StorageId], assignment.DependsOn);

        var lockResource = Find(result, "no-delete");
        Assert.Equal(GroupId + "/providers/Microsoft.Authorization/locks/no-delete", lockResource.Id);
        Assert.Equal([GroupId], lockResource.DependsOn);
    }

    [Fact]
    public void Scope_Excludes_ResourceGroup_And_Must_Be_An_Id_Or_A_Declared_Resource()
    {
        var result = LoadSingle(Documents(
            "type: Microsoft.Authorization/locks@2020-05-01\nname: a\nscope: /subscriptions/" + Subscription + "\nresourceGroup: rg-app",
            "type: Microsoft.Authorization/locks@2020-05-01\nname: b\nscope: /not/an/id",
            "type: Microsoft.Authorization/locks@2020-05-01\nname: c\nscope: Microsoft.Storage/storageAccounts/nothere"));

        var invalid = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.InvalidValue).ToList();
        Assert.Equal(2, invalid.Count);
        AssertAt(invalid[0], "main.yaml", 4, 16);
        AssertAt(invalid[1], "main.yaml", 8, 8);
        AssertAt(Single(result.Diagnostics, DiagnosticCodes.UnknownReference), "main.yaml", 12, 8);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Same_Name_In_Two_Groups_Prefers_The_Same_Group_Else_Is_Ambiguous()
    {
        var tree = new InMemoryFileTree().Add("main.yaml", Documents(
            "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: nsg\nresourceGroup: rg-a\nlocation: westeurope",
            "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: nsg\nresourceGroup: rg-b\nlocation: westeurope",
            "type: Microsoft.Network/virtualNetworks/subnets@2024-05-01\nname: vnet/default\nresourceGroup: rg-b\nproperties:\n  networkSecurityGroup: { id: '${{ ref(Microsoft.Network/networkSecurityGroups/nsg) }}' }",
            "type: Microsoft.Network/virtualNetworks/subnets@2024-05-01\nname: vnet/other\nresourceGroup: rg-c\nproperties:\n  networkSecurityGroup: { id: '${{ ref(Microsoft.Network/networkSecurityGroups/nsg) }}' }"));

        var result = new ManifestLoader().LoadEnvironment(tree, Environment());

        var error = Single(result.Diagnostics, DiagnosticCodes.UnknownReference);
        AssertAt(error, "main.yaml", 21, 36);
        Assert.Contains("ambiguous", error.Message, StringComparison.Ordinal);
        Assert.Contains("main.yaml:1:1", error.Message, StringComparison.Ordinal);
        var subnet = Find(result, "vnet/default");
        Assert.EndsWith("/resourceGroups/rg-b/providers/Microsoft.Network/networkSecurityGroups/nsg",
            subnet.Body["properties"]!["networkSecurityGroup"]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_Resources_Are_Reported_Ignoring_Case()
    {
        var result = LoadSingle(Documents(Group, Storage, Storage.Replace("rg-app", "RG-APP", StringComparison.Ordinal)));

        var error = Single(result.Diagnostics, DiagnosticCodes.DuplicateResource);
        AssertAt(error, "main.yaml", 10, 1);
        Assert.Contains("main.yaml:5:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Resources.Count);
    }

    [Fact]
    public void Dependency_Cycle_Is_Printed_Along_Its_Path()
    {
        var result = LoadSingle(Documents(
            "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: a\nresourceGroup: rg\nlocation: westeurope\ndependsOn: [ Microsoft.Network/networkSecurityGroups/b ]",
            "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: b\nresourceGroup: rg\nlocation: westeurope\ntags: { c: '${{ ref(Microsoft.Network/networkSecurityGroups/c) }}' }",
            "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: c\nresourceGroup: rg\nlocation: westeurope\ndependsOn: [ Microsoft.Network/networkSecurityGroups/a ]",
            "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: d\nresourceGroup: rg\nlocation: westeurope\ndependsOn: [ Microsoft.Network/networkSecurityGroups/e ]",
            "type: Microsoft.Network/networkSecurityGroups@2024-05-01\nname: e\nresourceGroup: rg\nlocation: westeurope\ndependsOn: [ Microsoft.Network/networkSecurityGroups/d ]"));

        var cycles = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.DependencyCycle).ToList();
        Assert.Equal(2, cycles.Count);
        Assert.Equal(
            "Dependency cycle: Microsoft.Network/networkSecurityGroups/a -> Microsoft.Network/networkSecurityGroups/b -> Microsoft.Network/networkSecurityGroups/c -> Microsoft.Network/networkSecurityGroups/a.",
            cycles[0].Message);
        AssertAt(cycles[0], "main.yaml", 1, 1);
        Assert.Contains("networkSecurityGroups/d -> Microsoft.Network/networkSecurityGroups/e -> Microsoft.Network/networkSecurityGroups/d", cycles[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_Cycle_Is_Reported()
    {
        var result = LoadSingle(Documents(
            "type: Microsoft.Authorization/locks@2020-05-01\nname: a\nscope: Microsoft.Authorization/locks/b",
            "type: Microsoft.Authorization/locks@2020-05-01\nname: b\nscope: Microsoft.Authorization/locks/a"));

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DependencyCycle);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void A_Resource_May_Refer_To_Itself_Without_Depending_On_Itself()
    {
        var result = LoadSingle(Documents(Group, """
            type: Microsoft.Network/loadBalancers@2024-05-01
            name: lb-app
            resourceGroup: rg-app
            location: westeurope
            properties:
              loadBalancingRules:
                - name: http
                  properties:
                    frontendIPConfiguration: { id: "${{ ref(Microsoft.Network/loadBalancers/lb-app) }}/frontendIPConfigurations/fe" }
            """));

        AssertNoErrors(result);
        Assert.Equal([GroupId], Find(result, "lb-app").DependsOn);
    }
}
