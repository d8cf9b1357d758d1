using GitOps.Core.Manifests;
using GitOps.Git.Webhooks;

namespace GitOps.Git.Tests.Webhooks;

public sealed class WebhookEnvironmentMatcherTests
{
    private static readonly EnvironmentDefinition Prod = new() { Name = "prod", Path = "envs/prod", Branch = "main" };
    private static readonly EnvironmentDefinition Production = new() { Name = "production", Path = "envs/production", Branch = "main" };
    private static readonly EnvironmentDefinition Dev = new() { Name = "dev", Path = "envs/dev", Branch = "develop" };
    private static readonly EnvironmentDefinition[] All = [Prod, Production, Dev];

    [Fact]
    public void Only_Environments_Whose_Folder_Changed_Are_Matched()
    {
        var push = Push(changed: ["envs/prod/rg.yaml", "README.md"]);

        Assert.Equal([Prod], WebhookEnvironmentMatcher.Match(push, All));
    }

    [Fact]
    public void Folder_Prefix_Matches_Whole_Segments_Only()
    {
        var push = Push(changed: ["envs/production/rg.yaml"]);

        Assert.Equal([Production], WebhookEnvironmentMatcher.Match(push, All));
    }

    [Theory]
    [InlineData("gitops.yaml")]
    [InlineData("gitops.policy.yaml")]
    public void Root_Config_Change_Matches_Every_Environment_On_The_Branch(string path)
    {
        Assert.Equal([Prod, Production], WebhookEnvironmentMatcher.Match(Push(changed: [path]), All));
    }

    [Fact]
    public void Nested_Gitops_Yaml_Is_Not_The_Root_Config()
    {
        Assert.Empty(WebhookEnvironmentMatcher.Match(Push(changed: ["docs/gitops.yaml"]), All));
    }

    [Fact]
    public void Unknown_Or_Truncated_Paths_Match_Every_Environment_On_The_Branch()
    {
        Assert.Equal([Prod, Production], WebhookEnvironmentMatcher.Match(Push(changed: null), All));
        Assert.Equal([Prod, Production], WebhookEnvironmentMatcher.Match(Push(changed: ["README.md"]) with { ChangedPathsTruncated = true }, All));
    }

    [Fact]
    public void Other_Branches_Tags_Deletions_And_Unauthentic_Pushes_Match_Nothing()
    {
        var push = Push(changed: ["envs/prod/rg.yaml"]);

        Assert.Equal([Dev], WebhookEnvironmentMatcher.Match(push with { Branch = "develop", Ref = "refs/heads/develop", ChangedPaths = ["envs/dev/x.yaml"] }, All));
        Assert.Empty(WebhookEnvironmentMatcher.Match(push with { Branch = "feature", Ref = "refs/heads/feature" }, All));
        Assert.Empty(WebhookEnvironmentMatcher.Match(push with { Branch = null, Ref = "refs/tags/v1", Tag = true, TagName = "v1" }, All));
        Assert.Empty(WebhookEnvironmentMatcher.Match(push with { Deleted = true, After = WebhookEvent.ZeroSha }, All));
        Assert.Empty(WebhookEnvironmentMatcher.Match(push with { Authentic = false }, All));
        Assert.Empty(WebhookEnvironmentMatcher.Match(push with { IsPush = false }, All));
    }

    [Fact]
    public void Empty_Change_List_Matches_Nothing_Unless_The_Branch_Was_Created()
    {
        Assert.Empty(WebhookEnvironmentMatcher.Match(Push(changed: []), All));
        Assert.Equal([Prod, Production], WebhookEnvironmentMatcher.Match(Push(changed: []) with { Before = WebhookEvent.ZeroSha }, All));
    }

    [Fact]
    public void Root_Environment_Matches_Any_Change()
    {
        var root = new EnvironmentDefinition { Name = "all", Path = "", Branch = "main" };

        Assert.Equal([root], WebhookEnvironmentMatcher.Match(Push(changed: ["anything/at/all.yaml"]), [root]));
    }

    [Fact]
    public void Conformance_Push_Matches_By_Its_Changed_Paths()
    {
        var sample = ConformanceCorpus.Load("github-push-forced.json");
        var result = new WebhookInspector(ConformanceCorpus.Options(sample)).Inspect(ConformanceCorpus.Headers(sample), ConformanceCorpus.Body(sample));
        var staging = new EnvironmentDefinition { Name = "staging", Path = "ksapps/test-app/environments/staging-argocd-demo", Branch = "master" };
        var other = new EnvironmentDefinition { Name = "other", Path = "ksapps/other", Branch = "master" };

        Assert.Equal([staging], WebhookEnvironmentMatcher.Match(result.Event!, [staging, other]));
    }

    private static WebhookEvent Push(IReadOnlyList<string>? changed) => new()
    {
        Provider = WebhookProvider.GitHub,
        Event = "push",
        DeliveryId = "d",
        Authentic = true,
        IsPush = true,
        RepoFullName = "org/repo",
        Ref = "refs/heads/main",
        Branch = "main",
        Tag = false,
        Before = "1111111111111111111111111111111111111111",
        After = "2222222222222222222222222222222222222222",
        Deleted = false,
        ChangedPaths = changed,
    };
}
