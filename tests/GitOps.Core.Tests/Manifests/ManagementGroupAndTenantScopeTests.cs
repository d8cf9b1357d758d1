using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

/// <summary>
/// Issue 15, item 2: resources outside subscriptions. A document may place a resource on a management group only when
/// the reviewed environment definition lists the group (<c>managementGroups:</c>), and at the tenant root only with
/// <c>tenantLevel: true</c>; the ids are the ones ARM uses at those scopes.
/// </summary>
public class ManagementGroupAndTenantScopeTests
{
    private const string Group = "/providers/Microsoft.Management/managementGroups/mg-platform";

    private const string PolicyOnGroup = """
        type: Microsoft.Authorization/policyDefinitions@2023-04-01
        name: deny-public-ip
        scope: /providers/Microsoft.Management/managementGroups/mg-platform
        properties: { policyType: Custom, mode: All }
        """;

    private static EnvironmentLoadResult Load(string environmentExtras, string manifests)
    {
        var tree = new InMemoryFileTree()
            .Add("gitops.yaml", $"environments:\n  - name: platform\n    path: envs/platform\n    subscriptionId: {Subscription}\n{environmentExtras}")
            .Add("envs/platform/main.yaml", manifests);
        var loader = new ManifestLoader();
        var config = loader.LoadConfig(tree);
        Assert.True(config.Diagnostics.Count == 0, string.Join("\n", config.Diagnostics));
        return loader.LoadEnvironment(tree, Assert.Single(config.Environments));
    }

    [Fact]
    public void A_Listed_Management_Group_Takes_Resources_Placed_On_It_With_Their_Management_Group_Ids()
    {
        var result = Load("    managementGroups: [ mg-platform ]\n", PolicyOnGroup);

        AssertNoErrors(result);
        var policy = Assert.Single(result.Resources);
        Assert.Equal(Group + "/providers/Microsoft.Authorization/policyDefinitions/deny-public-ip", policy.Id);
        Assert.Null(policy.SubscriptionId);
        Assert.Null(policy.ResourceGroup);
    }

    [Fact]
    public void Management_Groups_Compare_Ignoring_Case_But_Only_Whole_Names()
    {
        var sameGroup = Load("    managementGroups: [ MG-Platform ]\n", PolicyOnGroup);
        var longerName = Load("    managementGroups: [ mg-platform ]\n", PolicyOnGroup.Replace("mg-platform", "mg-platform-evil", StringComparison.Ordinal));
        var prefix = Load("    managementGroups: [ mg-platform-evil ]\n", PolicyOnGroup);

        AssertNoErrors(sameGroup);
        Assert.Contains("'mg-platform-evil'", Single(longerName.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed).Message, StringComparison.Ordinal);
        Assert.Contains("'mg-platform'", Single(prefix.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed).Message, StringComparison.Ordinal);
        Assert.Empty(longerName.Resources);
    }

    [Fact]
    public void A_Declared_Management_Group_Is_A_Scope_By_Provider_Path_And_A_Dependency()
    {
        var result = Load("    managementGroups: [ mg-platform ]\n", """
            type: Microsoft.Management/managementGroups@2023-04-01
            name: mg-platform
            scope: /
            properties: { displayName: Platform }
            ---
            type: Microsoft.Authorization/roleDefinitions@2022-04-01
            name: 6c2a1f4e-93b7-4e0d-8a55-2f1c3b9d7e01
            scope: Microsoft.Management/managementGroups/mg-platform
            properties: { roleName: Platform reader }
            """);

        AssertNoErrors(result);
        var group = result.Resources.Single(r => r.Type == ResourceIds.ManagementGroupType);
        var role = result.Resources.Single(r => r.Type == "Microsoft.Authorization/roleDefinitions");
        Assert.Equal(Group, group.Id);
        Assert.Equal(Group + "/providers/Microsoft.Authorization/roleDefinitions/6c2a1f4e-93b7-4e0d-8a55-2f1c3b9d7e01", role.Id);
        Assert.Contains(Group, role.DependsOn);
    }

    [Fact]
    public void A_Management_Group_That_Is_Not_Listed_Cannot_Be_Declared_Even_At_The_Tenant_Root()
    {
        var result = Load("    managementGroups: [ mg-platform ]\n    tenantLevel: true\n", """
            type: Microsoft.Management/managementGroups@2023-04-01
            name: mg-other
            scope: /
            properties: { displayName: Other }
            """);

        var error = Single(result.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed);
        AssertAt(error, "envs/platform/main.yaml", 3, 8);
        Assert.Contains("management group 'mg-other'", error.Message, StringComparison.Ordinal);
        Assert.Contains("managementGroups: mg-platform", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void The_Tenant_Root_Needs_TenantLevel_And_Then_Gives_Tenant_Ids()
    {
        const string Role = "type: Microsoft.Authorization/roleDefinitions@2022-04-01\nname: 0b7f3c5e-1a2d-4c6b-9e8f-7d6c5b4a3f21\nscope: /\nproperties: { roleName: Auditor }\n";

        var refused = Load(string.Empty, Role);
        var allowed = Load("    tenantLevel: true\n", Role);

        var error = Single(refused.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed);
        AssertAt(error, "envs/platform/main.yaml", 3, 8);
        Assert.Contains("sits at the tenant root", error.Message, StringComparison.Ordinal);
        Assert.Contains("'tenantLevel: true'", error.Hint, StringComparison.Ordinal);
        Assert.Empty(refused.Resources);
        AssertNoErrors(allowed);
        Assert.Equal("/providers/Microsoft.Authorization/roleDefinitions/0b7f3c5e-1a2d-4c6b-9e8f-7d6c5b4a3f21", Assert.Single(allowed.Resources).Id);
    }

    [Fact]
    public void TenantLevel_Does_Not_Open_Management_Groups_Or_Other_Subscriptions()
    {
        var group = Load("    tenantLevel: true\n", PolicyOnGroup);
        var subscription = Load("    tenantLevel: true\n",
            $"type: Microsoft.Authorization/locks@2020-05-01\nname: no-delete\nscope: /subscriptions/{OtherSubscription}\nproperties: {{ level: CanNotDelete }}\n");

        Assert.Contains("management group 'mg-platform'", Single(group.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed).Message, StringComparison.Ordinal);
        Assert.Contains($"targets subscription {OtherSubscription}", Single(subscription.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    managementGroups: [ 'mg/../other' ]\n", "contains '/'")]
    [InlineData("    managementGroups: [ 'mg.' ]\n", "ends with '.'")]
    [InlineData("    managementGroups: mg-platform\n", "must be a list")]
    [InlineData("    tenantLevel: maybe\n", "tenantLevel")]
    public void Bad_Scope_Settings_Are_Reported_In_Gitops_Yaml(string extras, string expected)
    {
        var tree = new InMemoryFileTree()
            .Add("gitops.yaml", $"environments:\n  - name: platform\n    path: envs/platform\n{extras}");

        var config = new ManifestLoader().LoadConfig(tree);

        var error = Assert.Single(config.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("gitops.yaml", error.Location.File);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(config.Environments);
    }
}
