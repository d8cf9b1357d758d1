namespace GitOps.Git.Source;

/// <summary>
/// Limits applied when reading a commit. Sizes come from <c>git ls-tree -l</c>, so they are checked before any content is read.
/// </summary>
public sealed record GitReadLimits
{
    /// <summary>Largest single file, in bytes.</summary>
    public long MaxFileBytes { get; init; } = 1 * 1024 * 1024;

    /// <summary>Largest sum of all files read for one environment, in bytes.</summary>
    public long MaxTotalBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most files read for one environment.</summary>
    public int MaxFileCount { get; init; } = 10_000;

    /// <summary>The defaults (1 MiB per file, 64 MiB in total, 10,000 files).</summary>
    public static GitReadLimits Default { get; } = new();
}
