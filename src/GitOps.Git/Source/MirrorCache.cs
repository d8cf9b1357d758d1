using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;

namespace GitOps.Git.Source;

/// <summary>
/// The bare mirrors under <see cref="GitSourceOptions.CacheRoot"/>: one per URL, full (never shallow: libgit2 corrupts
/// a shallow repository on a later fetch), created in a staging folder and renamed into place, checked and rebuilt
/// when a killed process or a cut fetch left it broken, and trimmed to <see cref="GitSourceOptions.MaxCacheBytes"/>.
/// Callers hold the mirror's <see cref="MirrorLock"/> for <see cref="OpenForFetch"/> and a <see cref="MirrorUse"/>
/// while a repository is open.
/// </summary>
internal sealed class MirrorCache(GitSourceOptions options, MirrorLock mirrorLock)
{
    private const string StagingMarker = ".init-";
    private const string BrokenMarker = ".broken-";

    /// <summary>The mirror folder used for <paramref name="url"/>: a hash of the URL, so no URL text reaches the file system.</summary>
    public string PathFor(string url)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(url.TrimEnd('/')));
        return Path.Combine(options.CacheRoot, Convert.ToHexStringLower(hash.AsSpan(0, 16)) + ".git");
    }

    /// <summary>Opens the mirror for reading, or null when there is none yet (or it cannot be opened: the next fetch repairs it).</summary>
    public static Repository? TryOpen(string mirrorPath)
    {
        if (!File.Exists(Path.Combine(mirrorPath, "HEAD")))
        {
            return null;
        }

        try
        {
            return new Repository(mirrorPath);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>
    /// Opens the mirror to fetch into, under its lock: removes lock and temporary files a killed process left, and
    /// rebuilds the mirror from nothing when it cannot be opened, is shallow, or has a ref whose commit or tree is missing.
    /// </summary>
    /// <returns>The repository and why it was rebuilt (null when it was sound or new).</returns>
    public (Repository Repository, string? Rebuilt) OpenForFetch(string mirrorPath)
    {
        Directory.CreateDirectory(options.CacheRoot);
        string? problem = null;
        if (Directory.Exists(mirrorPath))
        {
            RemoveLeftovers(mirrorPath);
            problem = Inspect(mirrorPath);
            if (problem is not null)
            {
                Discard(mirrorPath);
            }
        }

        if (!Directory.Exists(mirrorPath))
        {
            var staging = mirrorPath + StagingMarker + Guid.NewGuid().ToString("N");
            Repository.Init(staging, isBare: true);
            Directory.Move(staging, mirrorPath);
        }

        return (new Repository(mirrorPath), problem);
    }

    /// <summary>
    /// Deletes least recently used mirrors until the cache fits <see cref="GitSourceOptions.MaxCacheBytes"/>. A mirror
    /// whose lock or use file is held (being fetched or read, here or in another process) is skipped, and so is
    /// <paramref name="current"/>. Also removes staging and discarded folders that killed processes left behind.
    /// </summary>
    /// <returns>The mirrors deleted.</returns>
    public async Task<IReadOnlyList<string>> TrimAsync(string current, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        if (!Directory.Exists(options.CacheRoot))
        {
            return deleted;
        }

        foreach (var leftover in Directory.EnumerateDirectories(options.CacheRoot))
        {
            var name = Path.GetFileName(leftover);
            var stale = name.Contains(BrokenMarker, StringComparison.Ordinal)
                || (name.Contains(StagingMarker, StringComparison.Ordinal) && Directory.GetLastWriteTimeUtc(leftover) < DateTime.UtcNow.AddHours(-1));
            if (stale)
            {
                TryDelete(leftover);
            }
        }

        var mirrors = Directory.EnumerateDirectories(options.CacheRoot, "*.git")
            .Select(path => (Path: path, Bytes: SizeOf(path), Used: MirrorUse.LastUsedUtc(path)))
            .OrderBy(m => m.Used)
            .ToList();
        var total = mirrors.Sum(m => m.Bytes);
        foreach (var mirror in mirrors)
        {
            if (total <= options.MaxCacheBytes)
            {
                break;
            }

            if (string.Equals(mirror.Path, current, StringComparison.Ordinal))
            {
                continue;
            }

            IAsyncDisposable writeLock;
            try
            {
                writeLock = await mirrorLock.AcquireAsync(mirror.Path, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
            catch (GitSourceException e) when (e.Kind == GitErrorKind.LockTimeout)
            {
                continue;
            }

            await using (writeLock.ConfigureAwait(false))
            {
                using var exclusive = MirrorUse.TryAcquireExclusive(mirror.Path);
                if (exclusive is null)
                {
                    continue;
                }

                Discard(mirror.Path);
                total -= mirror.Bytes;
                deleted.Add(mirror.Path);
            }
        }

        return deleted;
    }

    private static string? Inspect(string mirrorPath)
    {
        if (File.Exists(Path.Combine(mirrorPath, "shallow")))
        {
            return "it is shallow";
        }

        if (!Repository.IsValid(mirrorPath))
        {
            return "it cannot be opened as a repository";
        }

        try
        {
            using var repository = new Repository(mirrorPath);
            foreach (var reference in repository.Refs)
            {
                var target = reference.ResolveToDirectReference()?.Target;
                if (target is null)
                {
                    continue;
                }

                if (!repository.ObjectDatabase.Contains(target.Id))
                {
                    return $"{reference.CanonicalName} points at the missing object {target.Id.Sha}";
                }

                if (target is Commit commit && !repository.ObjectDatabase.Contains(commit.Tree.Id))
                {
                    return $"the tree of {reference.CanonicalName} ({commit.Sha}) is missing";
                }
            }
        }
        catch (LibGit2SharpException e)
        {
            return "it cannot be read: " + e.Message;
        }

        return null;
    }

    // Only a lock holder writes to a mirror, so under the lock any lock or temporary file is a leftover of a killed process.
    private static void RemoveLeftovers(string mirrorPath)
    {
        foreach (var file in Directory.EnumerateFiles(mirrorPath, "*.lock", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        var objects = Path.Combine(mirrorPath, "objects");
        if (!Directory.Exists(objects))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            var inPack = Path.GetFileName(Path.GetDirectoryName(file)) == "pack";
            if (name.StartsWith("tmp_", StringComparison.Ordinal) || (inPack && !name.StartsWith("pack-", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }
    }

    // Renamed first, so a reader never opens a half-deleted mirror: it finds the old one or none.
    private static void Discard(string mirrorPath)
    {
        var discarded = mirrorPath + BrokenMarker + Guid.NewGuid().ToString("N");
        Directory.Move(mirrorPath, discarded);
        TryDelete(discarded);
    }

    private static void TryDelete(string path)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                // libgit2 writes pack files read-only.
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed on a later trim.
        }
    }

    private static long SizeOf(string path)
    {
        try
        {
            return new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
