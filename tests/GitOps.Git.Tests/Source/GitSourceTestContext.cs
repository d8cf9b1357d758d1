using GitOps.Core.Manifests;
using GitOps.Git.Source;
using GitOps.Testing;

namespace GitOps.Git.Tests.Source;

/// <summary>A fresh origin repository and an empty cache folder per test.</summary>
public sealed class GitSourceTestContext : IDisposable
{
    public GitSourceTestContext()
    {
        Origin = GitRepositoryBuilder.Create();
        CacheRoot = Path.Combine(Path.GetTempPath(), "gitops-cache-" + Guid.NewGuid().ToString("N")[..12]);
    }

    public GitRepositoryBuilder Origin { get; }

    public string CacheRoot { get; }

    public GitRepositoryOptions Repository => new() { Url = Origin.Url };

    public GitSourceClient CreateClient(
        ManifestLimits? limits = null,
        int maxFileCount = 10_000,
        TimeSpan? networkTimeout = null,
        long maxFetchBytes = GitSourceOptions.DefaultMaxFetchBytes,
        long maxCacheBytes = GitSourceOptions.DefaultMaxCacheBytes) =>
        new(new GitSourceOptions
        {
            CacheRoot = CacheRoot,
            Limits = limits ?? ManifestLimits.Default,
            MaxFileCount = maxFileCount,
            NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(30),
            LockTimeout = TimeSpan.FromSeconds(30),
            MaxFetchBytes = maxFetchBytes,
            MaxCacheBytes = maxCacheBytes,
        });

    public void Dispose()
    {
        Origin.Dispose();
        GitRepositoryBuilder.DeleteDirectory(CacheRoot);
    }
}
