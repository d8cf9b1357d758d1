using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

/// <summary>
/// Issue 10, item 2: the ARM token reaches every subscription the identity may use, so a document may target only its
/// environment's subscription and those <c>gitops.yaml</c> lists under <c>subscriptions:</c>; its scope cannot reshape
/// the request path either.
/// </summary>
public class SubscriptionAllowListTests
{
    private const string Listed = "8e7d6c5b-4a39-4281-b0c1-d2e3f4a5b6c7";

    private const string StorageAccount =
        "type: Microsoft.Storage/storageAccounts@2023-05-01\nname: stapp01\nresourceGroup: rg-app\nlocation: westeurope\n";

    private static string Lock(string scope) =>
        $"type: Microsoft.Authorization/locks@2020-05-01\nname: no-delete\nscope: {scope}\nproperties: {{ level: CanNotDelete }}\n";

    [Fact]
    public void A_Resource_In_An_Unlisted_Subscription_Is_Refused_At_Its_SubscriptionId()
    {
        var result = LoadSingle(StorageAccount + $"subscriptionId: {OtherSubscription}\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed);
        AssertAt(error, "main.yaml", 5, 17);
        Assert.Contains($"targets subscription {OtherSubscription}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"allowed: {Subscription}", error.Message, StringComparison.Ordinal);
        Assert.Contains("'subscriptions:'", error.Hint, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void A_Scope_In_An_Unlisted_Subscription_Is_Refused_At_The_Scope()
    {
        var result = LoadSingle(Lock($"/subscriptions/{OtherSubscription}/resourceGroups/rg-data"));

        var error = Single(result.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed);
        AssertAt(error, "main.yaml", 3, 8);
        Assert.Contains(OtherSubscription, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Management_Group_Scope_The_Environment_Does_Not_List_Is_Refused()
    {
        var result = LoadSingle(Lock("/providers/Microsoft.Management/managementGroups/mg-root"));

        var error = Single(result.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed);
        AssertAt(error, "main.yaml", 3, 8);
        Assert.Contains("lies in management group 'mg-root'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'managementGroups:'", error.Hint, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Subscriptions_Listed_In_Gitops_Yaml_May_Be_Targeted()
    {
        var tree = new InMemoryFileTree()
            .Add("gitops.yaml", $"environments:\n  - name: prod\n    path: envs/prod\n    subscriptionId: {Subscription}\n    subscriptions: [ {Listed} ]\n")
            .Add("envs/prod/main.yaml", StorageAccount + $"subscriptionId: {Listed}\n---\n" + Lock($"/subscriptions/{Listed}/resourceGroups/rg-app") + "---\n" + StorageAccount.Replace("stapp01", "stapp02", StringComparison.Ordinal));
        var loader = new ManifestLoader();
        var config = loader.LoadConfig(tree);
        var environment = Assert.Single(config.Environments);

        var result = loader.LoadEnvironment(tree, environment);

        Assert.Equal([Listed], environment.AdditionalSubscriptions);
        AssertNoErrors(result);
        Assert.Equal(3, result.Resources.Count);
    }

    [Fact]
    public void A_Listed_Subscription_That_Is_Not_A_Guid_Is_Reported_In_Gitops_Yaml()
    {
        var config = new ManifestLoader().LoadConfig(new InMemoryFileTree()
            .Add("gitops.yaml", "environments:\n  - name: prod\n    path: envs/prod\n    subscriptions: [ my-other-sub ]\n"));

        var error = Single(config.Diagnostics, DiagnosticCodes.InvalidValue);
        AssertAt(error, "gitops.yaml", 4, 22);
        Assert.Contains("'my-other-sub' is not a GUID", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/subscriptions/" + Subscription, "neither a resource id")]
    [InlineData("//evil.example/subscriptions/" + Subscription, "is not a resource id")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-app/../../../other", "'..' segment")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-app/./x", "'.' or '..' segment")]
    [InlineData("/subscriptions/" + Subscription + "//resourceGroups/rg-app", "empty")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-app%2F..%2Fx", "'%'")]
    [InlineData("'/subscriptions/" + Subscription + "/resourceGroups/rg-app?api-version=1'", "'?'")]
    [InlineData("'/subscriptions/" + Subscription + "/resourceGroups/rg-app#x'", "'#'")]
    public void A_Scope_That_Could_Reshape_The_Request_Is_Refused_At_Load(string scope, string reason)
    {
        var result = LoadSingle(Lock(scope));

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Location.Line);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void A_Ref_To_A_Resource_In_An_Unlisted_Subscription_Is_Refused_At_The_Ref()
    {
        var workspace = $"/subscriptions/{OtherSubscription}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops";
        var listedWorkspace = workspace.Replace(OtherSubscription, Listed, StringComparison.Ordinal);
        var document = StorageAccount + "properties:\n  workspaceId: ${{ ref(" + workspace + ") }}\n";

        var refused = LoadSingle(document);
        var allowed = LoadSingle(document.Replace(workspace, listedWorkspace, StringComparison.Ordinal), additionalSubscriptions: [Listed]);

        var error = Single(refused.Diagnostics, DiagnosticCodes.SubscriptionNotAllowed);
        Assert.Equal(6, error.Location.Line);
        Assert.Contains($"is in subscription {OtherSubscription}", error.Message, StringComparison.Ordinal);
        AssertNoErrors(allowed);
        Assert.Equal(listedWorkspace, allowed.Resources.Single().Body["properties"]!["workspaceId"]!.GetValue<string>());
    }
}
