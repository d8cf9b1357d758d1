using GitOps.Core.Manifests;

namespace GitOps.Schemas.Tests;

/// <summary>
/// Issue 15, item 2: placements come from the catalogue's scopes. A type it deploys only at the tenant root goes there
/// without <c>scope: /</c>; management-group and tenant placements are checked against the catalogue like any other.
/// </summary>
public class CatalogueScopeTests
{
    private const string Group = "/providers/Microsoft.Management/managementGroups/mg-platform";

    private static EnvironmentDefinition Platform(bool strict = false, bool tenantLevel = false) => Load.Environment(strict) with
    {
        ManagementGroups = ["mg-platform"],
        AllowsTenantLevel = tenantLevel,
    };

    [Fact]
    public void A_Management_Group_Without_Scope_Is_Placed_At_The_Tenant_Root_As_The_Catalogue_Says()
    {
        var result = Load.Single("""
            type: Microsoft.Management/managementGroups@2023-04-01
            name: mg-platform
            properties: { displayName: Platform }
            """, environment: Platform(strict: true));

        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        var group = Assert.Single(result.Resources);
        Assert.Equal(Group, group.Id);
        Assert.Equal(ResourceIds.TenantScope, group.Scope);
        Assert.Null(group.SubscriptionId);
    }

    [Fact]
    public void An_Inferred_Tenant_Placement_Is_Still_Subject_To_The_Allow_List_At_The_Type()
    {
        var result = Load.Single("""
            type: Microsoft.Subscription/aliases@2021-10-01
            name: sub-sandbox
            properties: { displayName: Sandbox, workload: DevTest }
            """);

        var error = Load.One(result, DiagnosticCodes.SubscriptionNotAllowed);
        Assert.Equal((1, 1), (error.Location.Line, error.Location.Column)); // at the type, which decided the placement
        Assert.Contains("/providers/Microsoft.Subscription/aliases/sub-sandbox", error.Message, StringComparison.Ordinal);
        Assert.Contains("tenant root", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Subscription_Placement_Stays_The_Default_For_Types_The_Catalogue_Also_Deploys_There()
    {
        var result = Load.Single("""
            type: Microsoft.Authorization/policyDefinitions@2023-04-01
            name: deny-public-ip
            properties: { policyType: Custom, mode: All, displayName: Deny public IPs }
            """);

        Load.NoSchemaFindings(result);
        Assert.Equal($"/subscriptions/{Load.Subscription}/providers/Microsoft.Authorization/policyDefinitions/deny-public-ip", Assert.Single(result.Resources).Id);
    }

    [Theory]
    [InlineData("Microsoft.Authorization/policyDefinitions@2023-04-01", "deny-public-ip", "properties: { policyType: Custom, mode: All, displayName: Deny public IPs }")]
    [InlineData("Microsoft.Authorization/policySetDefinitions@2023-04-01", "baseline", "properties: { policyType: Custom, displayName: Baseline, policyDefinitions: [ { policyDefinitionId: /providers/Microsoft.Authorization/policyDefinitions/06a78e20-9358-41c9-923c-fb736d382a4d } ] }")]
    [InlineData("Microsoft.Authorization/roleDefinitions@2022-04-01", "6c2a1f4e-93b7-4e0d-8a55-2f1c3b9d7e01", "properties: { roleName: Platform reader, type: CustomRole, assignableScopes: [ /providers/Microsoft.Management/managementGroups/mg-platform ] }")]
    [InlineData("Microsoft.Authorization/policyAssignments@2024-04-01", "baseline", "properties: { displayName: Baseline, policyDefinitionId: /providers/Microsoft.Authorization/policySetDefinitions/baseline }")]
    public void Management_Group_Placements_Of_Types_The_Catalogue_Deploys_There_Have_No_Findings_Even_When_Strict(string type, string name, string body)
    {
        var result = Load.Single($"type: {type}\nname: {name}\nscope: {Group}\n{body}\n", environment: Platform(strict: true));

        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        Assert.StartsWith(Group + "/providers/Microsoft.Authorization/", Assert.Single(result.Resources).Id, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Type_The_Catalogue_Does_Not_Deploy_On_A_Management_Group_Is_A_Finding_That_Says_Where_It_Goes()
    {
        var result = Load.Single($"""
            type: Microsoft.Storage/storageAccounts@2023-05-01
            name: stplatform
            scope: {Group}
            location: westeurope
            """, environment: Platform());

        var finding = Load.One(result, DiagnosticCodes.SchemaTypeMismatch);
        Assert.Equal(DiagnosticSeverity.Warning, finding.Severity);
        Assert.Contains("declared on a management group", finding.Message, StringComparison.Ordinal);
        Assert.Contains("resource group", finding.Message, StringComparison.Ordinal);
        Assert.Contains("resourceGroup: <name>", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Tenant_Only_Type_Given_A_Resource_Group_Is_A_Finding_That_Names_Scope_Slash()
    {
        var result = Load.Single("""
            type: Microsoft.Management/managementGroups@2021-04-01
            name: mg-platform
            resourceGroup: rg-app
            properties: { displayName: Platform }
            """, environment: Platform());

        var finding = Load.One(result, DiagnosticCodes.SchemaTypeMismatch);
        Assert.Contains("deploys it only at: tenant", finding.Message, StringComparison.Ordinal);
        Assert.Contains("scope: / for the tenant root", finding.Hint, StringComparison.Ordinal);
        Assert.Contains("GO1015", finding.Hint, StringComparison.Ordinal);
    }
}
