using System.Diagnostics;
using GitOps.Git.Source;

namespace GitOps.Git.Tests.Source;

public sealed class MirrorLockTests : IDisposable
{
    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Second_Holder_Waits_For_The_Lock_File_Then_Times_Out_As_Transient()
    {
        // Two MirrorLock instances share no in-process gate, so only the OS-level lock file keeps them apart.
        var path = Path.Combine(_context.CacheRoot, "mirror.git");
        var first = new MirrorLock();
        var second = new MirrorLock();

        await using (await first.AcquireAsync(path, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<GitSourceException>(() => second.AcquireAsync(path, TimeSpan.FromMilliseconds(300), CancellationToken.None));
            Assert.Equal(GitErrorKind.LockTimeout, error.Kind);
            Assert.True(error.IsTransient);
        }

        await using var again = await second.AcquireAsync(path, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Waiter_Proceeds_As_Soon_As_The_Holder_Releases()
    {
        var path = Path.Combine(_context.CacheRoot, "mirror.git");
        var gate = new MirrorLock();
        var held = await gate.AcquireAsync(path, TimeSpan.FromSeconds(5), CancellationToken.None);

        var waiter = gate.AcquireAsync(path, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(waiter.IsCompleted);
        await held.DisposeAsync();

        await using var acquired = await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(waiter.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Fetch_Waits_For_Another_Process_Holding_The_Mirror_Lock()
    {
        _context.Origin.WriteFile("a.txt", "1");
        var head = _context.Origin.Commit("first");
        var shortLock = new GitSourceClient(new GitSourceOptions { CacheRoot = _context.CacheRoot, LockTimeout = TimeSpan.FromMilliseconds(400) });
        var lockFile = shortLock.GetMirrorPath(_context.Origin.Url) + ".lock";
        Directory.CreateDirectory(_context.CacheRoot);

        // flock(1) takes the same kind of exclusive lock .NET takes for FileShare.None: a real second process.
        using var holder = Process.Start(new ProcessStartInfo("flock") { ArgumentList = { "--exclusive", lockFile, "sleep", "60" }, UseShellExecute = false })!;
        try
        {
            await WaitUntilLockedAsync(lockFile, TimeSpan.FromSeconds(10));

            var error = await Assert.ThrowsAsync<GitSourceException>(() => shortLock.FetchAsync(_context.Repository, "main"));
            Assert.Equal(GitErrorKind.LockTimeout, error.Kind);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        Assert.Equal(head, await shortLock.FetchAsync(_context.Repository, "main"));
    }

    private static async Task WaitUntilLockedAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"flock did not take {path} within {timeout}.");
    }
}
