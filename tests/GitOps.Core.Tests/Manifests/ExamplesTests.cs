using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class ExamplesTests
{
    private static readonly InMemoryFileTree Examples = GitOps.Testing.FolderTree.Read(Path.Combine(RepositoryRoot(), "examples"));

    [Fact]
    public void Examples_Config_Declares_Dev_And_Prod()
    {
        var config = new ManifestLoader().LoadConfig(Examples);

        Assert.Empty(config.Diagnostics);
        Assert.Equal(["dev", "prod"], config.Environments.Select(e => e.Name));
        var prod = config.Find("prod")!;
        Assert.True(prod.Prune.Enabled);
        Assert.NotEqual(config.Find("dev")!.Variables["addressSpace"], prod.Variables["addressSpace"]);
    }

    [Fact]
    public void Every_Example_Environment_Loads_Without_Errors_Or_Warnings()
    {
        var loader = new ManifestLoader();
        var config = loader.LoadConfig(Examples);

        foreach (var environment in config.Environments)
        {
            var result = loader.LoadEnvironment(Examples, environment);

            Assert.True(result.Diagnostics.Count == 0, $"{environment.Name}:\n{string.Join("\n", result.Diagnostics)}");
            var types = result.Resources.Select(r => r.Type).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.Superset(
                new HashSet<string>(StringComparer.OrdinalIgnoreCase)
                {
                    "Microsoft.Resources/resourceGroups",
                    "Microsoft.Storage/storageAccounts",
                    "Microsoft.Network/virtualNetworks",
                    "Microsoft.Network/virtualNetworks/subnets",
                    "Microsoft.Network/networkSecurityGroups",
                    "Microsoft.OperationalInsights/workspaces",
                    "Microsoft.Authorization/roleAssignments",
                },
                types);
            var waves = DependencyGraph.Waves(result.Resources, r => r.Id, r => r.DependsOn, out var cycle);
            Assert.Null(cycle);
            Assert.Equal("Microsoft.Resources/resourceGroups", waves[0].Single().Type);
        }
    }

    [Fact]
    public void Example_Role_Assignment_Sits_On_The_Storage_Account()
    {
        var loader = new ManifestLoader();
        var prod = loader.LoadConfig(Examples).Find("prod")!;

        var result = loader.LoadEnvironment(Examples, prod);

        var storage = result.Resources.Single(r => r.Type == "Microsoft.Storage/storageAccounts");
        var assignment = result.Resources.Single(r => r.Type == "Microsoft.Authorization/roleAssignments");
        Assert.Equal(storage.Id, assignment.Scope);
        Assert.Contains(storage.Id, assignment.DependsOn);
        Assert.Equal(prod.Variables["readersGroupObjectId"], assignment.Body["properties"]!["principalId"]!.GetValue<string>());
        var workspace = result.Resources.Single(r => r.Type == "Microsoft.OperationalInsights/workspaces");
        Assert.Equal(90L, workspace.Body["properties"]!["retentionInDays"]!.GetValue<long>());
        var subnet = result.Resources.Single(r => r.Type == "Microsoft.Network/virtualNetworks/subnets");
        Assert.Equal("vnet-shop-prod/snet-app", subnet.Name);
        Assert.Equal(subnet.Id, storage.Body["properties"]!["networkAcls"]!["virtualNetworkRules"]![0]!["id"]!.GetValue<string>());
    }
}
