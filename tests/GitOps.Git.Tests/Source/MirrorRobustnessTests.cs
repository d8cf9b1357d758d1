using System.Security.Cryptography;
using System.Text;
using GitOps.Core.Ports;
using GitOps.Git.Source;
using GitOps.Testing;

namespace GitOps.Git.Tests.Source;

[Trait("Category", "Integration")]
public sealed class MirrorRobustnessTests : IDisposable
{
    private const string Config = "environments:\n  - name: prod\n    path: envs/prod\n";
    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    // Random bytes do not compress, so the pack is about as large as the files.
    private string CommitLargeRepository(int files, int bytesEach, string message = "large")
    {
        _context.Origin.WriteFile("gitops.yaml", Config);
        for (var i = 0; i < files; i++)
        {
            _context.Origin.WriteFile($"envs/prod/f{i:D3}.bin", RandomNumberGenerator.GetBytes(bytesEach));
        }

        return _context.Origin.Commit(message);
    }

    private bool HasRef(string url, string name)
    {
        using var repository = new LibGit2Sharp.Repository(_context.CreateClient().GetMirrorPath(url));
        return repository.Refs[name] is not null;
    }

    private GitConfigSource Source(string url, GitSourceClient? client = null) =>
        new(client ?? _context.CreateClient(), new RepositoryRegistry().Add("platform", new GitRepositoryOptions { Url = url }));

    [Fact]
    public async Task A_Fetch_Cut_Off_Mid_Pack_Leaves_The_Mirror_Usable_And_The_Next_Resolve_And_Read_Succeed()
    {
        var tip = CommitLargeRepository(files: 40, bytesEach: 8 * 1024);
        using var server = new SmartHttpGitServer(_context.Origin.RepositoryPath) { CutNextPackAfterBytes = 64 * 1024 };
        var source = Source(server.Url);

        var cut = await Assert.ThrowsAsync<ConfigSourceException>(() => source.ResolveAsync("platform", null, null));
        Assert.True(cut.IsTransient);
        Assert.Null(server.CutNextPackAfterBytes);

        var mirror = _context.CreateClient().GetMirrorPath(server.Url);
        using (var repository = new LibGit2Sharp.Repository(mirror))
        {
            // The refs were not moved: no ref names a commit whose objects did not arrive.
            Assert.Null(repository.Refs["refs/heads/main"]);
        }

        var commit = await source.ResolveAsync("platform", null, null);
        var files = await source.ReadAsync("platform", commit.Sha, "envs/prod");

        Assert.Equal(tip, commit.Sha);
        Assert.Equal(41, files.ListFiles("").Count);
    }

    [Fact]
    public async Task An_Incremental_Fetch_Cut_Off_Keeps_The_Previous_Commit_Readable()
    {
        var first = CommitLargeRepository(files: 5, bytesEach: 1024, "first");
        using var server = new SmartHttpGitServer(_context.Origin.RepositoryPath);
        var source = Source(server.Url);
        Assert.Equal(first, (await source.ResolveAsync("platform", null, null)).Sha);
        var second = CommitLargeRepository(files: 40, bytesEach: 8 * 1024, "second");
        server.CutNextPackAfterBytes = 64 * 1024;

        await Assert.ThrowsAsync<ConfigSourceException>(() => source.ResolveAsync("platform", null, null));
        var old = await source.ReadAsync("platform", first, "envs/prod");
        var next = await source.ResolveAsync("platform", null, null);

        Assert.Equal(5, old.ListFiles("envs/prod").Count);
        Assert.Equal(second, next.Sha);
        Assert.Equal(40, (await source.ReadAsync("platform", second, "envs/prod")).ListFiles("envs/prod").Count);
    }

    [Fact]
    public async Task A_Fetch_Cancelled_Mid_Transfer_Returns_At_Once_And_The_Next_Resolve_And_Read_Succeed()
    {
        var tip = CommitLargeRepository(files: 40, bytesEach: 8 * 1024);
        using var server = new SmartHttpGitServer(_context.Origin.RepositoryPath) { StallNextPackAfterBytes = 64 * 1024 };
        var source = Source(server.Url);
        using var cancel = new CancellationTokenSource();

        var fetch = source.ResolveAsync("platform", null, null, cancel.Token);
        await server.Stalled.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(TimeSpan.FromSeconds(5)));

        // The abandoned fetch still owns the mirror's lock; once its connection ends it gives the lock up.
        server.ReleaseStall();
        var commit = await source.ResolveAsync("platform", null, null);
        var files = await source.ReadAsync("platform", commit.Sha, "envs/prod");

        Assert.Equal(tip, commit.Sha);
        Assert.Equal(41, files.ListFiles("").Count);
    }

    [Fact]
    public async Task A_Fetch_Over_The_Size_Limit_Fails_Naming_The_Setting_And_The_Mirror_Stays_Usable()
    {
        var tip = CommitLargeRepository(files: 20, bytesEach: 16 * 1024);
        using var server = new SmartHttpGitServer(_context.Origin.RepositoryPath);
        var small = _context.CreateClient(maxFetchBytes: 64 * 1024);

        var error = await Assert.ThrowsAsync<GitSourceException>(() => small.FetchAsync(new GitRepositoryOptions { Url = server.Url }, "main"));

        Assert.Equal(GitErrorKind.LimitExceeded, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Contains("65536 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__GitMaxFetchBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(tip, await _context.CreateClient().FetchAsync(new GitRepositoryOptions { Url = server.Url }, "main"));
    }

    [Fact]
    public async Task Fetch_Falls_Back_To_The_Branch_When_The_Server_Refuses_Unadvertised_Wants()
    {
        _context.Origin.WriteFile("gitops.yaml", Config).WriteFile("envs/prod/a.yaml", "1");
        var older = _context.Origin.Commit("first");
        _context.Origin.WriteFile("envs/prod/a.yaml", "2");
        _context.Origin.Commit("second");
        using var server = new SmartHttpGitServer(_context.Origin.RepositoryPath) { RefuseUnadvertisedWants = true };

        var commit = await Source(server.Url).ResolveAsync("platform", null, older);

        Assert.Equal(older, commit.Sha);
        Assert.True(HasRef(server.Url, "refs/heads/main"), "the commit came with its branch, not by SHA");
        Assert.Equal("1", Encoding.UTF8.GetString((await Source(server.Url).ReadAsync("platform", older, "envs/prod")).ReadFile("envs/prod/a.yaml").Span));
    }

    [Fact]
    public async Task A_Commit_Only_On_Another_Branch_Resolves_When_The_Server_Refuses_Unadvertised_Wants()
    {
        _context.Origin.WriteFile("gitops.yaml", Config).WriteFile("envs/prod/a.yaml", "main");
        var main = _context.Origin.Commit("on main");
        _context.Origin.CreateBranch("feature");
        _context.Origin.WriteFile("envs/prod/a.yaml", "feature");
        var feature = _context.Origin.Commit("on feature");
        _context.Origin.WriteFile("envs/prod/a.yaml", "feature 2");
        _context.Origin.Commit("feature moves on");
        using var server = new SmartHttpGitServer(_context.Origin.RepositoryPath) { RefuseUnadvertisedWants = true };
        var source = Source(server.Url);

        var commit = await source.ResolveAsync("platform", "main", feature);

        Assert.Equal(feature, commit.Sha);
        Assert.True(HasRef(server.Url, "refs/heads/feature"), "the commit came with every branch, not by SHA");
        Assert.False(await source.IsAncestorAsync("platform", feature, main));
        Assert.False(await source.IsAncestorAsync("platform", new string('2', 40), main));
    }

    [Fact]
    public async Task A_Mirror_Left_By_A_Killed_Fetch_Is_Repaired_Or_Rebuilt_On_The_Next_Fetch()
    {
        _context.Origin.WriteFile("gitops.yaml", Config).WriteFile("envs/prod/a.yaml", "1");
        var first = _context.Origin.Commit("first");
        var client = _context.CreateClient();
        var repository = _context.Repository;
        await client.FetchAsync(repository, "main");
        var mirror = client.GetMirrorPath(_context.Origin.Url);

        // What a process killed during a fetch leaves: ref locks, a half-written pack, and a ref moved to an object
        // that never arrived.
        File.WriteAllText(Path.Combine(mirror, "refs", "heads", "main.lock"), first);
        File.WriteAllText(Path.Combine(mirror, "packed-refs.lock"), "");
        File.WriteAllBytes(Path.Combine(mirror, "objects", "pack", "pack_git2_a1b2c3"), RandomNumberGenerator.GetBytes(512));
        File.WriteAllText(Path.Combine(mirror, "refs", "heads", "broken"), new string('3', 40) + "\n");
        _context.Origin.WriteFile("envs/prod/a.yaml", "2");
        var second = _context.Origin.Commit("second");

        Assert.Equal(second, await client.FetchAsync(repository, "main"));
        Assert.False(File.Exists(Path.Combine(mirror, "refs", "heads", "main.lock")));
        Assert.False(File.Exists(Path.Combine(mirror, "objects", "pack", "pack_git2_a1b2c3")));
        Assert.Equal("1", Encoding.UTF8.GetString((await client.ReadFilesAsync(repository, first, "envs/prod")).ReadFile("envs/prod/a.yaml").Span));
        Assert.Equal("2", Encoding.UTF8.GetString((await client.ReadFilesAsync(repository, second, "envs/prod")).ReadFile("envs/prod/a.yaml").Span));
    }

    [Fact]
    public async Task A_Mirror_That_Cannot_Be_Opened_Is_Rebuilt()
    {
        _context.Origin.WriteFile("gitops.yaml", Config);
        var head = _context.Origin.Commit("first");
        var client = _context.CreateClient();
        await client.FetchAsync(_context.Repository, "main");
        var mirror = client.GetMirrorPath(_context.Origin.Url);
        Directory.Delete(Path.Combine(mirror, "objects"), recursive: true);
        File.WriteAllText(Path.Combine(mirror, "HEAD"), "garbage");

        Assert.Equal(head, await client.FetchAsync(_context.Repository, "main"));
        Assert.Equal([ "gitops.yaml" ], (await client.ReadFilesAsync(_context.Repository, head, null)).ListFiles(""));
    }

    [Fact]
    public async Task A_Shallow_Mirror_Is_Rebuilt_Instead_Of_Fetched_Into()
    {
        // libgit2 corrupts a shallow repository on a later fetch; the cache never makes one, and rebuilds one it finds.
        _context.Origin.WriteFile("gitops.yaml", Config).WriteFile("envs/prod/a.yaml", "1");
        var first = _context.Origin.Commit("first");
        var client = _context.CreateClient();
        await client.FetchAsync(_context.Repository, "main");
        var mirror = client.GetMirrorPath(_context.Origin.Url);
        File.WriteAllText(Path.Combine(mirror, "shallow"), first + "\n");
        var marker = Path.Combine(mirror, "marker-of-the-old-mirror");
        File.WriteAllText(marker, "");
        _context.Origin.WriteFile("envs/prod/a.yaml", "2");
        var second = _context.Origin.Commit("second");

        Assert.Equal(second, await client.FetchAsync(_context.Repository, "main"));

        Assert.False(File.Exists(Path.Combine(mirror, "shallow")));
        Assert.False(File.Exists(marker), "the shallow mirror was fetched into instead of rebuilt");
        Assert.True(await client.IsAncestorAsync(_context.Repository, first, second));
    }

    [Fact]
    public async Task A_Sha256_Commit_Id_Is_Refused_As_An_Invalid_Argument()
    {
        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().ReadFilesAsync(_context.Repository, new string('a', 64), null));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Cache_Is_Trimmed_Least_Recently_Used_First_But_Never_A_Mirror_In_Use()
    {
        using var second = GitRepositoryBuilder.Create();
        using var third = GitRepositoryBuilder.Create();
        _context.Origin.WriteFile("gitops.yaml", Config);
        _context.Origin.Commit("first");
        second.WriteFile("gitops.yaml", Config);
        second.Commit("second");
        third.WriteFile("gitops.yaml", Config);
        third.Commit("third");
        var client = _context.CreateClient(maxCacheBytes: 1);
        var first = new GitRepositoryOptions { Url = _context.Origin.Url };

        await client.FetchAsync(first, "main");
        using (await MirrorUse.AcquireAsync(client.GetMirrorPath(first.Url), TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            // The first mirror is being read: fetching another repository must not delete it.
            await client.FetchAsync(new GitRepositoryOptions { Url = second.Url }, "main");
            Assert.True(Directory.Exists(client.GetMirrorPath(first.Url)));
        }

        await client.FetchAsync(new GitRepositoryOptions { Url = third.Url }, "main");

        Assert.False(Directory.Exists(client.GetMirrorPath(first.Url)));
        Assert.False(Directory.Exists(client.GetMirrorPath(second.Url)));
        Assert.True(Directory.Exists(client.GetMirrorPath(third.Url)));
        Assert.Equal(third.Head(), await client.FetchAsync(new GitRepositoryOptions { Url = third.Url }, "main"));
    }
}
