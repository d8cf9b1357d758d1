using System.Text.Json.Nodes;
using GitOps.ArmSimulator;

namespace GitOps.Cli.Tests;

/// <summary>
/// Issue 15, item 2: tenant-level and management-group resources get the ids their catalogue entries say, only where
/// the reviewed <c>gitops.yaml</c> allows them, and reconcile against the simulator like any other resource.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TenantAndManagementGroupScopeTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000d7";
    private const string RoleDefinitionName = "6c2a1f4e-93b7-4e0d-8a55-2f1c3b9d7e01";
    private const string GroupId = "/providers/Microsoft.Management/managementGroups/mg-platform";
    private const string PolicyId = GroupId + "/providers/Microsoft.Authorization/policyDefinitions/deny-public-ip";
    private const string AssignmentId = GroupId + "/providers/Microsoft.Authorization/policyAssignments/deny-public-ip";
    private const string RoleId = GroupId + "/providers/Microsoft.Authorization/roleDefinitions/" + RoleDefinitionName;
    private const string TenantRoleId = "/providers/Microsoft.Authorization/roleDefinitions/0b7f3c5e-1a2d-4c6b-9e8f-7d6c5b4a3f21";
    private const string Token = "scope-test-token";

    [Fact]
    public async Task Management_Group_Resources_Are_Applied_At_Their_Catalogue_Scopes_And_Then_Match()
    {
        using var folder = Workspace(tenantLevel: false);
        await using var arm = await StartAsync(folder);

        var apply = await RunAsync(arm, folder, "apply", "--auto-approve");

        Assert.True(apply.ExitCode == ExitCodes.Success, apply.Out + apply.Error);
        var writes = arm.State.Requests.Where(r => r.Method == "PUT").Select(r => r.Path).ToList();
        Assert.Contains(writes, p => p.Equals(GroupId, StringComparison.OrdinalIgnoreCase));
        foreach (var id in new[] { GroupId, PolicyId, AssignmentId, RoleId })
        {
            Assert.True(arm.State.GetResource(id) is not null, $"{id} was not created; writes: {string.Join(", ", writes)}");
        }

        // Dependencies follow the scope and ref(): the group first, the definition before its assignment.
        Assert.True(writes.FindIndex(p => Same(p, GroupId)) < writes.FindIndex(p => Same(p, PolicyId)));
        Assert.True(writes.FindIndex(p => Same(p, PolicyId)) < writes.FindIndex(p => Same(p, AssignmentId)));
        Assert.Equal(PolicyId, arm.State.GetResource(AssignmentId)!["properties"]!["policyDefinitionId"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

        var plan = await RunAsync(arm, folder, "plan");
        Assert.True(plan.ExitCode == ExitCodes.Success, plan.Out + plan.Error);
        Assert.Contains("No changes: Azure matches git.", plan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Tenant_Level_Role_Definition_Is_Refused_Until_The_Environment_Allows_The_Tenant_Root()
    {
        using var refusedFolder = Workspace(tenantLevel: false, withTenantRole: true);
        await using var arm = await StartAsync(refusedFolder);

        var refused = await RunAsync(arm, refusedFolder, "plan");

        Assert.Equal(ExitCodes.Error, refused.ExitCode);
        Assert.Contains("GO1015", refused.Out + refused.Error, StringComparison.Ordinal);
        Assert.Contains("tenantLevel: true", refused.Out + refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(arm.State.Requests, r => r.Method != "GET");

        using var allowedFolder = Workspace(tenantLevel: true, withTenantRole: true);
        var applied = await RunAsync(arm, allowedFolder, "apply", "--auto-approve");

        Assert.True(applied.ExitCode == ExitCodes.Success, applied.Out + applied.Error);
        Assert.NotNull(arm.State.GetResource(TenantRoleId));
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static TempFolder Workspace(bool tenantLevel, bool withTenantRole = false)
    {
        var folder = new TempFolder()
            .Write("config/gitops.yaml", $"""
                version: 1
                environments:
                  - name: platform
                    path: envs/platform
                    subscriptionId: {Subscription}
                    managementGroups: [ mg-platform ]
                    tenantLevel: {(tenantLevel ? "true" : "false")}
                """)
            .Write("config/envs/platform/management-group.yaml", """
                # No scope: the catalogue deploys management groups only at the tenant root.
                type: Microsoft.Management/managementGroups@2023-04-01
                name: mg-platform
                properties:
                  displayName: Platform
                """)
            .Write("config/envs/platform/policy.yaml", """
                type: Microsoft.Authorization/policyDefinitions@2023-04-01
                name: deny-public-ip
                scope: Microsoft.Management/managementGroups/mg-platform
                properties:
                  policyType: Custom
                  mode: All
                  displayName: Deny public IP addresses
                  policyRule:
                    if: { field: type, equals: Microsoft.Network/publicIPAddresses }
                    then: { effect: deny }
                ---
                type: Microsoft.Authorization/policyAssignments@2024-04-01
                name: deny-public-ip
                scope: /providers/Microsoft.Management/managementGroups/mg-platform
                properties:
                  displayName: Deny public IP addresses
                  policyDefinitionId: ${{ ref(Microsoft.Authorization/policyDefinitions/deny-public-ip) }}
                """)
            .Write("config/envs/platform/role.yaml", $"""
                type: Microsoft.Authorization/roleDefinitions@2022-04-01
                name: {RoleDefinitionName}
                scope: Microsoft.Management/managementGroups/mg-platform
                properties:
                  roleName: Platform reader
                  description: Reads everything under the platform group.
                  type: CustomRole
                  permissions:
                    - actions: [ '*/read' ]
                  assignableScopes: [ {GroupId} ]
                """);
        if (withTenantRole)
        {
            folder.Write("config/envs/platform/tenant-role.yaml", $"""
                type: Microsoft.Authorization/roleDefinitions@2022-04-01
                name: {TenantRoleId[(TenantRoleId.LastIndexOf('/') + 1)..]}
                scope: /
                properties:
                  roleName: Tenant auditor
                  type: CustomRole
                  permissions:
                    - actions: [ 'Microsoft.Authorization/*/read' ]
                  assignableScopes: [ / ]
                """);
        }

        return folder;
    }

    private static Task<ArmSimulatorServer> StartAsync(TempFolder folder) =>
        ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { CertificateOutputPath = Path.Combine(folder.Path, "armsim.pem") });

    private static Task<(int ExitCode, string Out, string Error)> RunAsync(ArmSimulatorServer arm, TempFolder folder, params string[] args)
    {
        // Every workspace of a test trusts the one server's certificate.
        var certificate = Path.Combine(folder.Path, "armsim.pem");
        if (!File.Exists(certificate))
        {
            File.WriteAllText(certificate, arm.CertificatePem);
        }

        return CliRunner.RunAsync([
            .. args, Path.Combine(folder.Path, "config"),
            "--arm-endpoint", arm.Endpoint.ToString(), "--arm-ca-cert", certificate, "--arm-token", Token,
            "--state-dir", Path.Combine(folder.Path, "state")]);
    }
}
