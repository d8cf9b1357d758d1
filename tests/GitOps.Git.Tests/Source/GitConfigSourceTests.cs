using System.Text;
using GitOps.Core.Ports;
using GitOps.Git.Source;

namespace GitOps.Git.Tests.Source;

public sealed class GitConfigSourceTests : IDisposable
{
    private const string Config = """
        environments:
          - name: prod
            path: envs/prod
          - name: dev
            path: envs/dev
        """;

    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    private GitConfigSource Source(string? defaultBranch = null) =>
        new(_context.CreateClient(), new RepositoryRegistry().Add("platform", _context.Repository, defaultBranch));

    private string CommitFiles(string prodTls, string message = "change", DateTimeOffset? date = null)
    {
        _context.Origin
            .WriteFile("gitops.yaml", Config)
            .WriteFile("gitops.policy.yaml", "rules: []\n")
            .WriteFile("README.md", "# config\n")
            .WriteFile("envs/prod/app.yaml", $"minimumTlsVersion: {prodTls}\n")
            .WriteFile("envs/prod/network/vnet.yaml", "name: vnet\n")
            .WriteFile("envs/dev/app.yaml", "minimumTlsVersion: TLS1_0\n");
        return _context.Origin.Commit(message, "Ada Lovelace", "ada@example.com", date);
    }

    private static string Text(IFileTree tree, string path) => Encoding.UTF8.GetString(tree.ReadFile(path).Span);

    [Fact]
    public async Task Resolve_Without_Commit_Returns_The_Default_Branch_Tip_With_Author_And_Message()
    {
        CommitFiles("TLS1_0", "first");
        var when = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var tip = CommitFiles("TLS1_2", "Raise TLS\n\nAudit finding 12.", when);

        var commit = await Source().ResolveAsync("platform", branch: null, commit: null);

        Assert.Equal(tip, commit.Sha);
        Assert.Equal("Ada Lovelace", commit.Author);
        Assert.Equal("ada@example.com", commit.AuthorEmail);
        Assert.Equal(when, commit.Time);
        Assert.Equal("Raise TLS\n\nAudit finding 12.", commit.Message);
        Assert.Equal("Raise TLS", commit.Subject);
    }

    [Fact]
    public async Task Resolve_Uses_The_Named_Branch_Or_The_Configured_Default()
    {
        var main = CommitFiles("TLS1_0", "on main");
        _context.Origin.CreateBranch("release");
        var release = CommitFiles("TLS1_2", "on release");

        Assert.Equal(release, (await Source().ResolveAsync("platform", "release", null)).Sha);
        Assert.Equal(main, (await Source().ResolveAsync("platform", null, null)).Sha);
        Assert.Equal(release, (await Source(defaultBranch: "release").ResolveAsync("platform", null, null)).Sha);
    }

    [Fact]
    public async Task Resolve_With_An_Older_Commit_Returns_That_Commit()
    {
        var older = CommitFiles("TLS1_0", "older");
        CommitFiles("TLS1_2", "newer");

        var commit = await Source().ResolveAsync("platform", null, older);

        Assert.Equal(older, commit.Sha);
        Assert.Equal("older", commit.Message);
        var files = await Source().ReadAsync("platform", commit.Sha, "envs/prod");
        Assert.Equal("minimumTlsVersion: TLS1_0\n", Text(files, "envs/prod/app.yaml"));
    }

    [Fact]
    public async Task Read_Without_Folder_Returns_Only_The_Root_Config_Files()
    {
        var sha = CommitFiles("TLS1_2");

        var files = await Source().ReadAsync("platform", sha, folder: null);

        Assert.Equal(["gitops.policy.yaml", "gitops.yaml"], files.ListFiles(""));
        Assert.Equal(Config, Text(files, "gitops.yaml"));
    }

    [Fact]
    public async Task Read_With_Folder_Returns_Root_Config_And_Every_File_Below_The_Folder()
    {
        var sha = CommitFiles("TLS1_2");

        var files = await Source().ReadAsync("platform", sha, "envs/prod");

        Assert.Equal(["envs/prod/app.yaml", "envs/prod/network/vnet.yaml", "gitops.policy.yaml", "gitops.yaml"], files.ListFiles(""));
        Assert.Equal("minimumTlsVersion: TLS1_2\n", Text(files, "envs/prod/app.yaml"));
        Assert.EndsWith("@" + sha[..12], files.DisplayName);
    }

    [Fact]
    public async Task Ancestry_Follows_The_History()
    {
        var older = CommitFiles("TLS1_0");
        var newer = CommitFiles("TLS1_2");
        var source = Source();

        Assert.True(await source.IsAncestorAsync("platform", older, newer));
        Assert.True(await source.IsAncestorAsync("platform", newer, newer));
        Assert.False(await source.IsAncestorAsync("platform", newer, older));
    }

    [Fact]
    public void Default_Branch_Is_The_Configured_One_Without_Touching_The_Remote()
    {
        Assert.Equal("main", Source().GetDefaultBranch("platform"));
        Assert.Equal("release", Source(defaultBranch: "release").GetDefaultBranch("platform"));
        Assert.False(Assert.Throws<ConfigSourceException>(() => Source().GetDefaultBranch("platfrom")).IsTransient);
    }

    [Fact]
    public async Task Unknown_Repository_Is_Permanent_And_Names_The_Configured_Ones()
    {
        CommitFiles("TLS1_2");
        var source = new GitConfigSource(
            _context.CreateClient(),
            new RepositoryRegistry().Add("platform", _context.Repository).Add("apps", _context.Repository));

        var error = await Assert.ThrowsAsync<ConfigSourceException>(() => source.ResolveAsync("platfrom", null, null));

        Assert.False(error.IsTransient);
        Assert.Contains("'platfrom' is not configured", error.Message);
        Assert.Contains("apps, platform", error.Message);
    }

    [Fact]
    public async Task Unknown_Commit_Is_Permanent()
    {
        CommitFiles("TLS1_2");
        const string missing = "0123456789abcdef0123456789abcdef01234567";

        var resolve = await Assert.ThrowsAsync<ConfigSourceException>(() => Source().ResolveAsync("platform", null, missing));
        var read = await Assert.ThrowsAsync<ConfigSourceException>(() => Source().ReadAsync("platform", missing, null));

        Assert.False(resolve.IsTransient);
        Assert.False(read.IsTransient);
        Assert.Contains(missing, resolve.Message);
        Assert.StartsWith("Repository 'platform':", resolve.Message);
        Assert.Equal(GitErrorKind.CommitNotFound, Assert.IsType<GitSourceException>(resolve.InnerException).Kind);
    }

    [Fact]
    public async Task Unknown_Branch_And_Bad_Folder_Are_Permanent()
    {
        var sha = CommitFiles("TLS1_2");

        var branch = await Assert.ThrowsAsync<ConfigSourceException>(() => Source().ResolveAsync("platform", "nope", null));
        var folder = await Assert.ThrowsAsync<ConfigSourceException>(() => Source().ReadAsync("platform", sha, "../outside"));

        Assert.False(branch.IsTransient);
        Assert.Contains("'nope'", branch.Message);
        Assert.False(folder.IsTransient);
        Assert.Contains("../outside", folder.Message);
    }

    [Fact]
    public async Task Unreachable_Remote_Is_Transient_And_Leaks_No_Credential()
    {
        const string token = "ghp_s3cr3tTokenValue0123456789";
        var registry = new RepositoryRegistry().Add(
            "platform",
            new GitRepositoryOptions { Url = "https://deploy@127.0.0.1:1/org/config.git", Token = token });
        var source = new GitConfigSource(_context.CreateClient(networkTimeout: TimeSpan.FromSeconds(20)), registry);

        var error = await Assert.ThrowsAsync<ConfigSourceException>(() => source.ResolveAsync("platform", null, null));

        Assert.True(error.IsTransient);
        Assert.DoesNotContain(token, error.ToString());
        Assert.DoesNotContain("deploy@", error.Message);
        Assert.Contains("127.0.0.1:1", error.Message);
    }

    [Fact]
    public async Task Ancestry_Is_False_For_An_Unknown_Commit_And_Transient_When_The_Remote_Is_Unreachable()
    {
        var tip = CommitFiles("TLS1_2");
        var unreachable = new GitConfigSource(
            _context.CreateClient(),
            new RepositoryRegistry().Add("platform", new GitRepositoryOptions { Url = "http://127.0.0.1:1/org/config.git" }));

        Assert.False(await Source().IsAncestorAsync("platform", "0123456789abcdef0123456789abcdef01234567", tip));
        var error = await Assert.ThrowsAsync<ConfigSourceException>(() => unreachable.IsAncestorAsync("platform", tip, tip));
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Long_Commit_Messages_Are_Cut_To_Four_KiB()
    {
        CommitFiles("TLS1_2", "Subject\n\n" + new string('x', 6000));

        var commit = await Source().ResolveAsync("platform", null, null);

        Assert.Equal(GitSourceClient.MaxCommitMessageLength, commit.Message.Length);
        Assert.Equal("Subject", commit.Subject);
    }

    [Theory]
    [InlineData("Platform")]
    [InlineData("a/b")]
    [InlineData("-x")]
    [InlineData("")]
    public void Registry_Refuses_Names_That_Cannot_Be_Keys(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new RepositoryRegistry().Add(name, new GitRepositoryOptions { Url = "file:///tmp/x" }));

        Assert.Contains("lowercase", error.Message);
    }

    [Fact]
    public void Registry_Refuses_Duplicates_And_Bad_Branches()
    {
        var registry = new RepositoryRegistry().Add("platform", new GitRepositoryOptions { Url = "file:///tmp/x" });

        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => registry.Add("platform", new GitRepositoryOptions { Url = "file:///tmp/y" })).Message);
        Assert.Contains("not a valid branch", Assert.Throws<ArgumentException>(() => registry.Add("apps", new GitRepositoryOptions { Url = "file:///tmp/y" }, "bad..branch")).Message);
        Assert.Equal("main", registry.Get("platform").DefaultBranch);
    }
}
