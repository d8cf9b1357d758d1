using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class AllErrorsTogetherTests
{
    [Fact]
    public void Every_Problem_Of_An_Environment_Is_Reported_In_One_Run()
    {
        var tree = new InMemoryFileTree()
            .Add("envs/prod/broken.yaml", "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: [oops\n")
            .Add("envs/prod/network.yaml", """
                type: Microsoft.Network/virtualNetworks@2024-05-01
                name: vnet-app
                resourceGroup: rg-app
                location: ${{ vars.region }}
                propertes: { addressSpace: { addressPrefixes: [ 10.0.0.0/16 ] } }
                ---
                type: Microsoft.Network/virtualNetworks/subnets@2024-05-01
                name: default
                resourceGroup: rg-app
                dependsOn: [ Microsoft.Network/networkSecurityGroups/nsg-missing ]
                """)
            .Add("envs/prod/storage.yaml", """
                type: Microsoft.Storage/storageAccounts
                name: stapp01
                resourceGroup: rg-app
                ---
                type: Microsoft.Storage/storageAccounts@2023-05-01
                name: St_App
                resourceGroup: rg-app
                tags: [ owner ]
                ---
                type: Microsoft.KeyVault/vaults@2023-07-01
                name: kv-app
                resourceGroup: rg-app
                ---
                type: Microsoft.KeyVault/vaults@2023-07-01
                name: KV-APP
                resourceGroup: RG-app
                reconcile: { policy: ignore }
                """);

        var result = new ManifestLoader().LoadEnvironment(tree, Environment(path: "envs/prod", variables: new Dictionary<string, string> { ["location"] = "westeurope" }));

        var found = result.Diagnostics.Select(d => (d.Code, d.Location.ToString())).ToList();
        var expected = new List<(string, string)>
        {
            (DiagnosticCodes.YamlSyntax, "envs/prod/broken.yaml:3:1"),
            (DiagnosticCodes.UnknownField, "envs/prod/network.yaml:5:1"),
            (DiagnosticCodes.InvalidName, "envs/prod/network.yaml:8:7"),
            (DiagnosticCodes.MalformedType, "envs/prod/storage.yaml:1:7"),
            (DiagnosticCodes.InvalidName, "envs/prod/storage.yaml:6:7"),
            (DiagnosticCodes.InvalidValue, "envs/prod/storage.yaml:17:22"),
            (DiagnosticCodes.DuplicateResource, "envs/prod/storage.yaml:14:1"),
            (DiagnosticCodes.UndefinedVariable, "envs/prod/network.yaml:4:15"),
            (DiagnosticCodes.UnknownReference, "envs/prod/network.yaml:10:14"),
            (DiagnosticCodes.InvalidValue, "envs/prod/storage.yaml:8:1"),
        };
        Assert.True(
            expected.All(found.Contains) && found.Count == expected.Count,
            "Expected:\n" + string.Join("\n", expected) + "\nFound:\n" + string.Join("\n", result.Diagnostics));
        Assert.Contains("could not be read", result.Diagnostics.Single(d => d.Code == DiagnosticCodes.UnknownReference).Message, StringComparison.Ordinal);
        Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrEmpty(d.Hint), d.ToString()));
        Assert.Equal(
            result.Diagnostics.OrderBy(d => d.Location.File, StringComparer.Ordinal).ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column),
            result.Diagnostics);
    }
}
