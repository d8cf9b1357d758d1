using GitOps.Core.Previews;
using GitOps.Git.Source;
using GitOps.Testing;

namespace GitOps.Git.Tests.Source;

/// <summary>A pull request's head, which may live only in a fork, comes through the host's pull-request ref of the configured repository.</summary>
public sealed class PullRequestFetchTests : IDisposable
{
    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    /// <summary>A commit that no branch holds, only the host's ref for pull request 7 (as a fork's head is on GitHub or GitLab).</summary>
    private (string Main, string Head) ForkHead(string pullRef)
    {
        _context.Origin.WriteFile("envs/dev/a.yaml", "1");
        var main = _context.Origin.Commit("first");
        _context.Origin.CreateBranch("fork-work");
        _context.Origin.WriteFile("envs/dev/a.yaml", "2");
        _context.Origin.WriteFile("envs/prod/b.yaml", "new");
        var head = _context.Origin.Commit("from a fork");
        _context.Origin.Git("update-ref", pullRef, head);
        _context.Origin.Checkout("main");
        _context.Origin.Git("branch", "-D", "fork-work");
        return (main, head);
    }

    [Theory]
    [InlineData("github", "refs/pull/7/head")]
    [InlineData("gitlab", "refs/merge-requests/7/head")]
    public async Task A_Head_Only_The_Pull_Request_Ref_Holds_Is_Fetched_Through_That_Ref(string provider, string pullRef)
    {
        var (_, head) = ForkHead(pullRef);
        var client = _context.CreateClient();

        Assert.True(await client.FetchPullRequestAsync(_context.Repository, provider, 7, head));
        Assert.Equal(head, (await client.GetCommitAsync(_context.Repository, head)).Sha);
    }

    [Fact]
    public async Task An_Azure_DevOps_Head_Arrives_With_The_Merge_Ref_As_Its_Second_Parent()
    {
        var (main, head) = ForkHead("refs/heads/tmp-source");
        _context.Origin.Git("checkout", "-q", "--detach", main);
        _context.Origin.Git("merge", "-q", "--no-ff", "-m", "Merge pull request 7", head);
        var merge = _context.Origin.Head();
        _context.Origin.Git("update-ref", "refs/pull/7/merge", merge);
        _context.Origin.Git("checkout", "-q", "main");
        _context.Origin.Git("update-ref", "-d", "refs/heads/tmp-source");

        Assert.True(await _context.CreateClient().FetchPullRequestAsync(_context.Repository, "azure-devops", 7, head));
    }

    [Fact]
    public async Task A_Head_The_Ref_No_Longer_Leads_To_Is_Not_Fetched()
    {
        var (_, head) = ForkHead("refs/pull/7/head");
        _context.Origin.WriteFile("x.txt", "later");
        _context.Origin.Git("update-ref", "refs/pull/7/head", _context.Origin.Commit("unrelated"));

        Assert.False(await _context.CreateClient().FetchPullRequestAsync(_context.Repository, "github", 7, new string('a', 40)));
        Assert.False(await _context.CreateClient().FetchPullRequestAsync(_context.Repository, "github", 8, head));
    }

    [Fact]
    public async Task Changed_Paths_Are_Those_Since_The_Merge_Base_And_Parents_Are_Read()
    {
        var (main, head) = ForkHead("refs/pull/7/head");
        _context.Origin.WriteFile("envs/staging/c.yaml", "on main after the fork");
        var later = _context.Origin.Commit("main moves on");
        var client = _context.CreateClient();
        Assert.True(await client.FetchPullRequestAsync(_context.Repository, "github", 7, head));

        Assert.Equal(["envs/dev/a.yaml", "envs/prod/b.yaml"], await client.ChangedPathsAsync(_context.Repository, later, head));
        Assert.Equal([main], await client.ParentsAsync(_context.Repository, later));
    }

    [Fact]
    public async Task The_Config_Source_Returns_Null_For_A_Head_The_Pull_Request_Does_Not_Have()
    {
        ForkHead("refs/pull/7/head");
        var registry = new RepositoryRegistry();
        registry.Add("app", _context.Repository, "main");
        var source = new GitConfigSource(_context.CreateClient(), registry);

        var missing = await source.FetchHeadAsync("app", new PullRequestRef { Provider = "github", Number = 7, HeadSha = new string('b', 40), TargetBranch = "main" });

        Assert.Null(missing);
    }
}
