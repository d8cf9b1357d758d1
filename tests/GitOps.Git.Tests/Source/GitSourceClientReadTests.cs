using System.Text;
using GitOps.Core.Manifests;
using GitOps.Core.Manifests.Config;
using GitOps.Git.Source;

namespace GitOps.Git.Tests.Source;

public sealed class GitSourceClientReadTests : IDisposable
{
    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Read_Returns_Only_Config_Policy_And_Environment_Files_With_Commit_Metadata()
    {
        _context.Origin
            .WriteFile("gitops.yaml", "environments: []\n")
            .WriteFile("gitops.policy.yaml", "rules: []\n")
            .WriteFile("README.md", "not requested")
            .WriteFile("envs/prod/rg.yaml", "name: rg-prod\n")
            .WriteFile("envs/prod/net/vnet.yaml", "name: vnet\n")
            .WriteFile("envs/production/other.yaml", "name: other\n")
            .WriteFile("envs/dev/rg.yaml", "name: rg-dev\n");
        var when = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var sha = _context.Origin.Commit("Add prod\n\nWith a body line.", "Ada Lovelace", "ada@example.com", when);

        var client = _context.CreateClient();
        var files = await client.ReadFilesAsync(_context.Repository, sha, "envs/prod");
        var commit = await client.GetCommitAsync(_context.Repository, sha);

        Assert.Equal(["envs/prod/net/vnet.yaml", "envs/prod/rg.yaml", "gitops.policy.yaml", "gitops.yaml"], files.ListFiles(""));
        Assert.Equal("name: rg-prod\n", Text(files, "envs/prod/rg.yaml"));
        Assert.Equal(sha, commit.Sha);
        Assert.Equal("Ada Lovelace", commit.Author);
        Assert.Equal("ada@example.com", commit.AuthorEmail);
        Assert.Equal(when, commit.Time);
        Assert.Equal(when.Offset, commit.Time.Offset);
        Assert.Equal("Add prod\n\nWith a body line.", commit.Message);
        Assert.Contains(sha[..12], files.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Works_Without_A_Working_Tree_And_Sees_The_Requested_Commit()
    {
        _context.Origin.WriteFile("envs/prod/rg.yaml", "v1");
        var first = _context.Origin.Commit("v1");
        _context.Origin.WriteFile("envs/prod/rg.yaml", "v2").WriteFile("envs/prod/new.yaml", "new");
        var second = _context.Origin.Commit("v2");
        var client = _context.CreateClient();

        var old = await client.ReadFilesAsync(_context.Repository, first, "envs/prod/");
        var current = await client.ReadFilesAsync(_context.Repository, second, "envs/prod");

        Assert.Equal("v1", Text(old, "envs/prod/rg.yaml"));
        Assert.False(old.FileExists("envs/prod/new.yaml"));
        Assert.Equal("v2", Text(current, "envs/prod/rg.yaml"));
        Assert.False(old.FileExists("gitops.yaml"));
        var mirror = client.GetMirrorPath(_context.Origin.Url);
        Assert.False(Directory.Exists(Path.Combine(mirror, "envs")));
        using var repository = new LibGit2Sharp.Repository(mirror);
        Assert.True(repository.Info.IsBare);
    }

    [Fact]
    public async Task Read_Root_Environment_Returns_Every_File()
    {
        _context.Origin.WriteFile("gitops.yaml", "x").WriteFile("a/b.yaml", "y");
        var sha = _context.Origin.Commit("root");

        var snapshot = await _context.CreateClient().ReadFilesAsync(_context.Repository, sha, "");

        Assert.Equal(["a/b.yaml", "gitops.yaml"], snapshot.ListFiles(""));
    }

    [Fact]
    public async Task Read_Refuses_A_Symlink_Pointing_Outside_The_Repository()
    {
        _context.Origin.WriteFile("envs/prod/rg.yaml", "ok").Symlink("envs/prod/secrets.yaml", "../../../../etc/passwd");
        var sha = _context.Origin.Commit("link");

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().ReadFilesAsync(_context.Repository, sha, "envs/prod"));

        Assert.Equal(GitErrorKind.SymlinkRefused, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Equal("envs/prod/secrets.yaml", error.Path);
        Assert.Contains("envs/prod/secrets.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Refuses_A_Symlinked_Environment_Folder_And_Config()
    {
        _context.Origin.WriteFile("real/rg.yaml", "ok").Symlink("envs/prod", "../real");
        var linkedFolder = _context.Origin.Commit("folder link");
        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().ReadFilesAsync(_context.Repository, linkedFolder, "envs/prod"));
        Assert.Equal(GitErrorKind.SymlinkRefused, error.Kind);

        _context.Origin.DeleteFile("envs/prod");
        _context.Origin.WriteFile("envs/prod/rg.yaml", "ok").Symlink("gitops.yaml", "/etc/hostname");
        var linkedConfig = _context.Origin.Commit("config link");
        error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().ReadFilesAsync(_context.Repository, linkedConfig, "envs/prod"));
        Assert.Equal(GitErrorKind.SymlinkRefused, error.Kind);
        Assert.Equal("gitops.yaml", error.Path);
    }

    [Fact]
    public async Task Read_Ignores_Symlinks_Outside_The_Requested_Paths()
    {
        _context.Origin.WriteFile("envs/prod/rg.yaml", "ok").Symlink("docs/link", "/etc/passwd");
        var sha = _context.Origin.Commit("unrelated link");

        var snapshot = await _context.CreateClient().ReadFilesAsync(_context.Repository, sha, "envs/prod");

        Assert.Equal(["envs/prod/rg.yaml"], snapshot.ListFiles(""));
    }

    [Fact]
    public async Task Read_Refuses_A_Submodule()
    {
        _context.Origin.WriteFile("envs/prod/rg.yaml", "ok");
        var first = _context.Origin.Commit("first");
        _context.Origin.Submodule("envs/prod/vendor", first, "https://example.com/other.git");
        var sha = _context.Origin.Commit("submodule");

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().ReadFilesAsync(_context.Repository, sha, "envs/prod"));

        Assert.Equal(GitErrorKind.SubmoduleRefused, error.Kind);
        Assert.Equal("envs/prod/vendor", error.Path);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("envs/../../outside")]
    [InlineData("/etc")]
    [InlineData("C:/Windows")]
    [InlineData("envs\\prod")]
    public async Task Read_Refuses_Paths_That_Leave_The_Repository(string path)
    {
        _context.Origin.WriteFile("envs/prod/rg.yaml", "ok");
        var sha = _context.Origin.Commit("first");

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().ReadFilesAsync(_context.Repository, sha, path));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);

        // The config loader refuses it with the same words (one rule: RepositoryPaths).
        Assert.Null(RepositoryPaths.Normalize(path, out var loaderError));
        Assert.Equal($"The environment {loaderError}.", error.Message);
    }

    [Theory]
    [InlineData("envs/./prod")]
    [InlineData("envs//prod")]
    [InlineData("./envs/prod")]
    [InlineData("envs/prod/")]
    [InlineData("envs/x/../prod")]
    public async Task Read_Normalises_Paths_As_The_Config_Loader_Does(string path)
    {
        _context.Origin.WriteFile("envs/prod/rg.yaml", "ok").WriteFile("envs/other.yaml", "no");
        var sha = _context.Origin.Commit("first");

        var files = await _context.CreateClient().ReadFilesAsync(_context.Repository, sha, path);

        Assert.Equal(["envs/prod/rg.yaml"], files.ListFiles(""));
    }

    [Fact]
    public async Task Read_Refuses_A_File_Over_The_Per_File_Limit_Before_Reading_It()
    {
        _context.Origin.WriteFile("envs/prod/small.yaml", "ok").WriteFile("envs/prod/big.yaml", new string('x', 2048));
        var sha = _context.Origin.Commit("big");
        var client = _context.CreateClient(new ManifestLimits { MaxFileBytes = 1024 });

        var error = await Assert.ThrowsAsync<GitSourceException>(() => client.ReadFilesAsync(_context.Repository, sha, "envs/prod"));

        Assert.Equal(GitErrorKind.LimitExceeded, error.Kind);
        Assert.Equal("envs/prod/big.yaml", error.Path);
        Assert.Contains("2048 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Refuses_Over_The_Total_And_Count_Limits()
    {
        for (var i = 0; i < 5; i++)
        {
            _context.Origin.WriteFile($"envs/prod/f{i}.yaml", new string('x', 100));
        }

        var sha = _context.Origin.Commit("five files");

        var total = await Assert.ThrowsAsync<GitSourceException>(() =>
            _context.CreateClient(new ManifestLimits { MaxEnvironmentBytes = 250 }).ReadFilesAsync(_context.Repository, sha, "envs/prod"));
        var count = await Assert.ThrowsAsync<GitSourceException>(() =>
            _context.CreateClient(maxFileCount: 4).ReadFilesAsync(_context.Repository, sha, "envs/prod"));
        var fits = await _context.CreateClient(new ManifestLimits { MaxEnvironmentBytes = 500, MaxFileBytes = 100 }, maxFileCount: 5).ReadFilesAsync(_context.Repository, sha, "envs/prod");

        Assert.Equal(GitErrorKind.LimitExceeded, total.Kind);
        Assert.Contains("250", total.Message, StringComparison.Ordinal);
        Assert.Equal(GitErrorKind.LimitExceeded, count.Kind);
        Assert.Contains("4 files", count.Message, StringComparison.Ordinal);
        Assert.Equal(5, fits.ListFiles("").Count);
    }

    [Fact]
    public async Task Read_Of_A_File_Path_As_Environment_Is_Refused()
    {
        _context.Origin.WriteFile("envs/prod.yaml", "ok");
        var sha = _context.Origin.Commit("file");

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().ReadFilesAsync(_context.Repository, sha, "envs/prod.yaml"));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public async Task Read_Keeps_Binary_Content_Exact()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        _context.Origin.WriteFile("envs/prod/blob.bin", bytes).WriteFile("envs/prod/empty.yaml", "");
        var sha = _context.Origin.Commit("binary");

        var snapshot = await _context.CreateClient().ReadFilesAsync(_context.Repository, sha, "envs/prod");

        Assert.Equal(bytes, snapshot.ReadFile("envs/prod/blob.bin").ToArray());
        Assert.Equal(0, snapshot.GetFileSize("envs/prod/empty.yaml"));
    }

    private static string Text(GitOps.Core.Ports.IFileTree files, string path) => Encoding.UTF8.GetString(files.ReadFile(path).Span);
}
