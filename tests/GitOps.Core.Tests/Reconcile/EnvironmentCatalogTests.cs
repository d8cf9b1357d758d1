using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

public sealed class EnvironmentCatalogTests
{
    private const string TwoEnvironments = """
        version: 1
        environments:
          - name: dev
            path: envs/dev
            branch: main
            subscriptionId: 00000000-0000-0000-0000-000000000001
          - name: prod
            path: envs/prod
            branch: release
            subscriptionId: 00000000-0000-0000-0000-000000000001
        """;

    [Fact]
    public async Task Finds_An_Environment_Declared_At_The_Default_Branch_Tip_Whatever_Branch_It_Deploys()
    {
        var source = new FakeConfigSource();
        source.Commit("main", files => files.Add("gitops.yaml", TwoEnvironments));

        var catalog = new EnvironmentCatalog(source);

        Assert.Equal("envs/dev", (await catalog.FindAsync("app", "dev"))!.Path);
        Assert.Equal("release", (await catalog.FindAsync("app", "prod"))!.Branch);
        Assert.Null(await catalog.FindAsync("app", "staging"));
        // Names are lowercase: "Dev" cannot be declared, so it is refused before any lookup rather than not found.
        await Assert.ThrowsAsync<ArgumentException>(() => catalog.FindAsync("app", "Dev"));
    }

    [Fact]
    public async Task An_Environment_Declared_Only_On_Another_Branch_Is_Not_Declared()
    {
        var source = new FakeConfigSource();
        source.Commit("main", files => files.Add("gitops.yaml", TwoEnvironments));
        source.Commit("feature", files => files.Add("gitops.yaml", TwoEnvironments + "\n  - name: staging\n    path: envs/dev\n    branch: feature\n    subscriptionId: 00000000-0000-0000-0000-000000000001\n"));

        Assert.Null(await new EnvironmentCatalog(source).FindAsync("app", "staging"));
    }

    [Fact]
    public async Task An_Invalid_Gitops_Yaml_Declares_Nothing()
    {
        var source = new FakeConfigSource();
        source.Commit("main", files => files.Add("gitops.yaml", TwoEnvironments + "\n  - name: [broken\n"));

        Assert.Null(await new EnvironmentCatalog(source).FindAsync("app", "dev"));
    }

    [Theory]
    [InlineData("app", "../dev")]
    [InlineData("app", "a/b")]
    [InlineData("app", "")]
    [InlineData("app", "..")]
    [InlineData("app", "a b")]
    [InlineData("a/pp", "dev")]
    public async Task Names_That_Are_Not_Plain_Are_Refused_Before_Any_Lookup(string repository, string environment)
    {
        var source = new FakeConfigSource { FailNextRead = new InvalidOperationException("no lookup may happen") };

        await Assert.ThrowsAsync<ArgumentException>(() => new EnvironmentCatalog(source).FindAsync(repository, environment));
        Assert.False(EnvironmentKeys.IsValidName(environment) && EnvironmentKeys.IsValidName(repository));
        Assert.NotNull(source.FailNextRead);
    }

    [Fact]
    public void A_Name_Over_100_Characters_Is_Not_Plain()
    {
        Assert.True(EnvironmentCatalog.IsPlainName(new string('e', 100)));
        Assert.False(EnvironmentCatalog.IsPlainName(new string('e', 101)));
    }
}
