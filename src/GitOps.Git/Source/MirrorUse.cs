namespace GitOps.Git.Source;

/// <summary>
/// Marks a mirror as in use, across processes: a shared lock on <c>&lt;mirror&gt;.use</c> (.NET takes
/// <c>flock(LOCK_SH)</c> for any <see cref="FileShare"/> but <see cref="FileShare.None"/>). The cache cleaner takes
/// the same file exclusively without waiting, so it never deletes a mirror that a reader or a fetch holds. Opening a
/// use also stamps the file's time, which orders mirrors from least to most recently used.
/// </summary>
internal sealed class MirrorUse : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(20);
    private readonly FileStream _file;

    private MirrorUse(FileStream file) => _file = file;

    /// <summary>The use file of the mirror at <paramref name="mirrorPath"/>.</summary>
    public static string PathOf(string mirrorPath) => mirrorPath + ".use";

    /// <summary>Takes a shared use of the mirror, waiting (up to <paramref name="timeout"/>) while the cleaner holds it.</summary>
    public static async Task<MirrorUse> AcquireAsync(string mirrorPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = PathOf(mirrorPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
                return new MirrorUse(file);
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException))
            {
                throw new GitSourceException(GitErrorKind.LockTimeout, $"The git cache '{path}' stayed locked by the cache cleaner for {timeout}; retry later.", innerException: e);
            }
        }
    }

    /// <summary>Takes the use file exclusively without waiting; null when any reader or fetch holds the mirror.</summary>
    public static FileStream? TryAcquireExclusive(string mirrorPath)
    {
        try
        {
            return new FileStream(PathOf(mirrorPath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>When the mirror was last used (the use file's time, else the folder's).</summary>
    public static DateTime LastUsedUtc(string mirrorPath) =>
        File.Exists(PathOf(mirrorPath)) ? File.GetLastWriteTimeUtc(PathOf(mirrorPath)) : Directory.GetLastWriteTimeUtc(mirrorPath);

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
