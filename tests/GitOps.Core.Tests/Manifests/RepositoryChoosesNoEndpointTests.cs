using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

/// <summary>
/// Issue 10, item 2: the ARM endpoint, git URLs, alert sinks and allowed vault hosts come from settings. The repository's
/// files have no field that names one: each attempt is an unknown field, an error that stops the run.
/// </summary>
public class RepositoryChoosesNoEndpointTests
{
    [Theory]
    [InlineData("armEndpoint: https://evil.example/")]
    [InlineData("repositoryUrl: https://evil.example/repo.git")]
    [InlineData("url: https://evil.example/repo.git")]
    [InlineData("alerts: { hook: { url: https://evil.example/hook } }")]
    [InlineData("keyVaultHostSuffixes: [ evil.example ]")]
    public void Gitops_Yaml_Cannot_Name_An_Endpoint_For_An_Environment(string field)
    {
        var result = new ManifestLoader().LoadConfig(new InMemoryFileTree().Add(
            "gitops.yaml", $"environments:\n  - name: prod\n    path: envs/prod\n    {field}\n"));

        var error = Single(result.Diagnostics, DiagnosticCodes.UnknownField);
        AssertAt(error, "gitops.yaml", 4, 5);
        Assert.Empty(result.Environments);
    }

    [Theory]
    [InlineData("alerts: { hook: { url: https://evil.example/hook } }")]
    [InlineData("arm: { endpoint: https://evil.example/ }")]
    public void Gitops_Yaml_Cannot_Name_An_Endpoint_At_The_Top(string field)
    {
        var result = new ManifestLoader().LoadConfig(new InMemoryFileTree().Add(
            "gitops.yaml", $"{field}\nenvironments:\n  - name: prod\n    path: envs/prod\n"));

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.UnknownField), "gitops.yaml", 1, 1);
    }

    [Theory]
    [InlineData("endpoint: https://evil.example/")]
    [InlineData("host: evil.example")]
    public void A_Resource_Cannot_Name_An_Endpoint(string field)
    {
        var result = LoadSingle("type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-app\nlocation: westeurope\n" + field + "\n");

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.UnknownField), "main.yaml", 4, 1);
        Assert.True(result.HasErrors);
        Assert.DoesNotContain(result.Resources, r => r.Body.ContainsKey(field.Split(':')[0]));
    }
}
