using GitOps.Git.Source;

namespace GitOps.Git.Tests.Source;

public sealed class GitSourceClientFetchTests : IDisposable
{
    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Fetch_Branch_Tip_Returns_Head_Sha()
    {
        _context.Origin.WriteFile("gitops.yaml", "environments: []\n");
        var head = _context.Origin.Commit("first");

        var sha = await _context.CreateClient().FetchAsync(_context.Repository, "main");

        Assert.Equal(head, sha);
        Assert.True(File.Exists(Path.Combine(_context.CreateClient().GetMirrorPath(_context.Origin.Url), "HEAD")));
    }

    [Fact]
    public async Task Fetch_Picks_Up_New_Commit_On_Refetch()
    {
        _context.Origin.WriteFile("a.txt", "1");
        var first = _context.Origin.Commit("first");
        var client = _context.CreateClient();
        Assert.Equal(first, await client.FetchAsync(_context.Repository, "main"));

        _context.Origin.WriteFile("a.txt", "2");
        var second = _context.Origin.Commit("second");

        Assert.Equal(second, await client.FetchAsync(_context.Repository, "main"));
    }

    [Fact]
    public async Task Fetch_Older_Sha_By_Sha()
    {
        _context.Origin.WriteFile("a.txt", "1");
        var older = _context.Origin.Commit("first");
        _context.Origin.WriteFile("a.txt", "2");
        _context.Origin.Commit("second");

        var sha = await _context.CreateClient().FetchAsync(_context.Repository, "main", older.ToUpperInvariant());

        Assert.Equal(older, sha);
        var files = await _context.CreateClient().ReadFilesAsync(_context.Repository, older, "");
        Assert.Equal("1", System.Text.Encoding.UTF8.GetString(files.ReadFile("a.txt").Span));
    }

    [Fact]
    public async Task Fetch_Unknown_Sha_Is_A_Permanent_CommitNotFound()
    {
        _context.Origin.WriteFile("a.txt", "1");
        _context.Origin.Commit("first");

        var error = await Assert.ThrowsAsync<GitSourceException>(() =>
            _context.CreateClient().FetchAsync(_context.Repository, "main", new string('1', 40)));

        Assert.Equal(GitErrorKind.CommitNotFound, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains(new string('1', 40), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_Unknown_Branch_Is_A_Permanent_BranchNotFound()
    {
        _context.Origin.WriteFile("a.txt", "1");
        _context.Origin.Commit("first");

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(_context.Repository, "nope"));

        Assert.Equal(GitErrorKind.BranchNotFound, error.Kind);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Fetch_Missing_Repository_Is_Permanent_RepositoryNotFound()
    {
        var missing = new GitRepositoryOptions { Url = new Uri(Path.Combine(_context.CacheRoot, "no-such-repo")).AbsoluteUri };

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(missing, "main"));

        Assert.Equal(GitErrorKind.RepositoryNotFound, error.Kind);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Unreachable_Server_Is_Transient_And_The_Url_User_Is_Redacted()
    {
        var repository = new GitRepositoryOptions { Url = "http://someuser@127.0.0.1:1/org/repo.git" };

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(repository, "main"));

        Assert.Equal(GitErrorKind.Network, error.Kind);
        Assert.True(error.IsTransient);
        Assert.Contains("http://***@127.0.0.1:1/org/repo.git", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("someuser", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Plain_Local_Path_Works_As_Url()
    {
        _context.Origin.WriteFile("a.txt", "1");
        var head = _context.Origin.Commit("first");

        Assert.Equal(head, await _context.CreateClient().FetchAsync(new GitRepositoryOptions { Url = _context.Origin.RepositoryPath }, "main"));
    }

    [Theory]
    [InlineData("ssh://git@github.com/org/repo.git")]
    [InlineData("git@github.com:org/repo.git")]
    public async Task Ssh_Urls_Are_Refused_With_The_Https_Alternative(string url)
    {
        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(new GitRepositoryOptions { Url = url }, "main"));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("SSH", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://github.com/org/repo.git", error.Message, StringComparison.Ordinal);
        Assert.Null(GitRemoteUrl.Validate("https://github.com/org/repo.git"));
    }

    [Fact]
    public async Task Command_Running_Transports_Are_Refused()
    {
        var marker = Path.Combine(_context.CacheRoot, "pwned");
        var repository = new GitRepositoryOptions { Url = $"ext::sh -c touch% {marker}" };

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(repository, "main"));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
        Assert.False(error.IsTransient);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("-upload-pack=evil")]
    [InlineData("main..other")]
    [InlineData("a b")]
    [InlineData("x:y")]
    public async Task Fetch_Refuses_Unsafe_Branch_Names(string branch)
    {
        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(_context.Repository, branch));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public async Task IsAncestor_Follows_History()
    {
        _context.Origin.WriteFile("a.txt", "1");
        var first = _context.Origin.Commit("first");
        _context.Origin.WriteFile("a.txt", "2");
        var second = _context.Origin.Commit("second");
        _context.Origin.CreateBranch("side", first);
        _context.Origin.WriteFile("b.txt", "side");
        var side = _context.Origin.Commit("side");
        var client = _context.CreateClient();

        Assert.True(await client.IsAncestorAsync(_context.Repository, first, second));
        Assert.True(await client.IsAncestorAsync(_context.Repository, second, second));
        Assert.False(await client.IsAncestorAsync(_context.Repository, second, first));
        Assert.False(await client.IsAncestorAsync(_context.Repository, side, second));
    }

    [Fact]
    public async Task IsAncestor_Is_False_For_A_Commit_No_Branch_Has()
    {
        _context.Origin.WriteFile("a.txt", "1");
        var head = _context.Origin.Commit("first");

        Assert.False(await _context.CreateClient().IsAncestorAsync(_context.Repository, new string('1', 40), head));
    }

    private (string Main, string Feature) CommitOnMainAndFeature()
    {
        _context.Origin.WriteFile("a.txt", "1");
        var main = _context.Origin.Commit("first");
        _context.Origin.CreateBranch("feature");
        _context.Origin.WriteFile("a.txt", "feature");
        return (main, _context.Origin.Commit("on feature"));
    }

    [Fact]
    public async Task IsAncestor_Is_False_For_A_Commit_Only_On_A_Deleted_Branch()
    {
        var (main, feature) = CommitOnMainAndFeature();
        _context.Origin.Checkout("main");
        _context.Origin.Git("branch", "-D", "feature");
        _context.Origin.Git("reflog", "expire", "--expire=now", "--all");
        _context.Origin.Git("gc", "--prune=now", "--quiet");

        Assert.False(await _context.CreateClient().IsAncestorAsync(_context.Repository, feature, main));
    }

    [Fact]
    public async Task Fetch_By_Sha_Resolves_A_Commit_That_Is_Only_On_Another_Branch()
    {
        var (main, feature) = CommitOnMainAndFeature();
        var client = _context.CreateClient();

        Assert.Equal(feature, await client.FetchAsync(_context.Repository, "main", feature));
        Assert.False(await client.IsAncestorAsync(_context.Repository, feature, main));
        Assert.True(await client.IsAncestorAsync(_context.Repository, main, feature));
    }

    [Fact]
    public async Task Fetch_Of_A_Branch_Deleted_On_The_Remote_Is_BranchNotFound_Not_The_Stale_Tip()
    {
        _context.Origin.WriteFile("a.txt", "1");
        _context.Origin.Commit("first");
        _context.Origin.CreateBranch("gone");
        var client = _context.CreateClient();
        await client.FetchAsync(_context.Repository, "gone");
        _context.Origin.Checkout("main");
        _context.Origin.Git("branch", "-D", "gone");

        var error = await Assert.ThrowsAsync<GitSourceException>(() => client.FetchAsync(_context.Repository, "gone"));

        Assert.Equal(GitErrorKind.BranchNotFound, error.Kind);
    }

    [Fact]
    public async Task Parallel_Fetch_And_Read_On_One_Cache_All_Succeed_And_Agree()
    {
        _context.Origin.WriteFile("gitops.yaml", "environments: []\n");
        _context.Origin.WriteFile("envs/prod/rg.yaml", "type: Microsoft.Resources/resourceGroups@2021-04-01\nname: rg\n");
        var head = _context.Origin.Commit("first");

        // Two clients have separate in-process locks, so they only agree through the lock file.
        var clients = new[] { _context.CreateClient(), _context.CreateClient() };
        var tasks = Enumerable.Range(0, 8).Select(async i =>
        {
            var client = clients[i % 2];
            var sha = i % 3 == 0
                ? await client.FetchAsync(_context.Repository, "main")
                : await client.FetchAsync(_context.Repository, "main", head);
            var files = await client.ReadFilesAsync(_context.Repository, sha, "envs/prod");
            return (sha, content: System.Text.Encoding.UTF8.GetString(files.ReadFile("envs/prod/rg.yaml").Span));
        });

        var results = await Task.WhenAll(tasks);

        Assert.All(results, r => Assert.Equal(head, r.sha));
        Assert.Single(results.Select(r => r.content).Distinct());
    }

    [Fact]
    public async Task Cancellation_Stops_The_Operation()
    {
        _context.Origin.WriteFile("a.txt", "1");
        _context.Origin.Commit("first");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _context.CreateClient().FetchAsync(_context.Repository, "main", cancellationToken: cancelled.Token));
    }
}
