using GitOps.Core.Manifests;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Policy;

public sealed class ExamplePolicyTests
{
    private static readonly InMemoryFileTree Examples = GitOps.Testing.FolderTree.Read(Path.Combine(RepositoryRoot(), "examples"));

    [Fact]
    public void Example_Environments_Pass_Every_Deny_Rule_And_The_Warn_Rule_Fires()
    {
        var loader = new ManifestLoader();
        var policy = loader.LoadPolicy(Examples);
        Assert.True(policy.IsDeclared);
        Assert.True(policy.Diagnostics.Count == 0, string.Join("\n", policy.Diagnostics));
        Assert.Contains(policy.Policy.Rules, r => r.Severity == PolicySeverity.Warn);
        Assert.Equal(5, policy.Policy.Rules.Select(r => r.Check.Kind).Distinct().Count());

        foreach (var environment in loader.LoadConfig(Examples).Environments)
        {
            var resources = loader.LoadEnvironment(Examples, environment).Resources;
            var violations = PolicyEvaluator.Evaluate(policy.Policy, environment.Name, resources);

            Assert.DoesNotContain(violations, v => v.IsDenied);
            var warning = Assert.Single(violations);
            Assert.Equal("storage-cost-center", warning.Rule.Name);
            Assert.Equal($"envs/{environment.Name}/storage.yaml", warning.Location.File);
        }
    }

    [Fact]
    public void Example_Prod_Rule_Denies_A_Locally_Redundant_Storage_Account()
    {
        var loader = new ManifestLoader();
        var policy = loader.LoadPolicy(Examples).Policy;
        var prod = loader.LoadConfig(Examples).Find("prod")!;
        var lrs = prod with { Variables = new Dictionary<string, string>(prod.Variables) { ["storageSku"] = "Standard_LRS" } };

        var violations = PolicyEvaluator.Evaluate(policy, "prod", loader.LoadEnvironment(Examples, lrs).Resources);

        var denied = Assert.Single(violations, v => v.IsDenied);
        Assert.Equal("redundant-storage-in-prod", denied.Rule.Name);
        Assert.Equal(new SourceLocation("envs/prod/storage.yaml", 8, 3), denied.Location);
    }
}
