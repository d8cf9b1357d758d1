using System.Collections.Concurrent;

namespace GitOps.Git.Source;

/// <summary>
/// Serialises changes to one mirror: an async lock for the workers of this client, then an exclusive lock file
/// (<see cref="FileShare.None"/>, an OS-level lock) so that other processes sharing the cache wait too.
/// </summary>
internal sealed class MirrorLock
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Takes the lock for the mirror at <paramref name="mirrorPath"/>; dispose the result to release it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string mirrorPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var gate = _gates.GetOrAdd(mirrorPath, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw LockTimeout(mirrorPath, timeout);
        }

        try
        {
            var file = await OpenLockFileAsync(mirrorPath + ".lock", deadline, timeout, cancellationToken).ConfigureAwait(false);
            return new Releaser(gate, file);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static async Task<FileStream> OpenLockFileAsync(string path, DateTimeOffset deadline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException) && DateTimeOffset.UtcNow < deadline)
            {
                // Another process holds it; poll until the deadline.
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
            {
                throw LockTimeout(path, timeout, e);
            }
        }
    }

    private static GitSourceException LockTimeout(string path, TimeSpan timeout, Exception? inner = null) =>
        new(GitErrorKind.LockTimeout, $"The git cache '{path}' stayed locked by another worker for {timeout}; retry later.", innerException: inner);

    private sealed class Releaser(SemaphoreSlim gate, FileStream file) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await file.DisposeAsync().ConfigureAwait(false);
                gate.Release();
            }
        }
    }
}
