using GitOps.Core.Manifests;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Policy;

/// <summary>Loads a policy and manifests from text, as a config repository would hold them.</summary>
internal static class PolicyTestSupport
{
    public const string Storage = """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg-app
        location: West Europe
        sku: { name: Standard_LRS }
        kind: StorageV2
        tags:
          Owner: platform
          costCenter: 4711
        properties:
          minimumTlsVersion: TLS1_0
          allowBlobPublicAccess: false
        """;

    public static PolicyLoadResult LoadPolicy(string yaml) =>
        new ManifestLoader().LoadPolicy(new InMemoryFileTree().Add(PolicySet.FileName, yaml));

    public static PolicySet ReadPolicy(string yaml)
    {
        var result = LoadPolicy(yaml);
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        return result.Policy;
    }

    public static IReadOnlyList<DeclaredResource> Resources(string yaml = Storage)
    {
        var loaded = LoadSingle(yaml);
        AssertNoErrors(loaded);
        return loaded.Resources;
    }

    public static IReadOnlyList<Diagnostic> Evaluate(string policy, string resources = Storage, string? environment = "prod") =>
        PolicyEvaluator.Check(ReadPolicy(policy), environment, Resources(resources));
}
