using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>
/// Where config repositories come from (the git adapter). Repositories are named as configured; URLs and
/// credentials stay in the adapter, never in jobs or records.
/// </summary>
public interface IConfigSource
{
    /// <summary>Resolves the commit to reconcile: <paramref name="commit"/> when given (fetched if needed), else the tip of <paramref name="branch"/> (null: the repository's default branch).</summary>
    /// <exception cref="ConfigSourceException">The repository or commit could not be read.</exception>
    Task<CommitInfo> ResolveAsync(string repository, string? branch, string? commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The name of the repository's default branch: the branch <see cref="ResolveAsync"/> resolves when given none. From
    /// configuration, no I/O: a run that follows the default branch uses the one tip it resolved for the definitions
    /// instead of fetching the same branch again.
    /// </summary>
    /// <exception cref="ConfigSourceException">The repository is not configured.</exception>
    string GetDefaultBranch(string repository);

    /// <summary>
    /// Reads the root config files (<c>gitops.yaml</c>, <c>gitops.policy.yaml</c>) and, when <paramref name="folder"/> is
    /// not null, every file below it, at a commit, without a working tree.
    /// </summary>
    /// <exception cref="ConfigSourceException">The files could not be read or were refused (symlinks, size, paths leaving the repository).</exception>
    Task<IFileTree> ReadAsync(string repository, string commit, string? folder, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="ancestor"/> is an ancestor of (or equal to) <paramref name="descendant"/>.</summary>
    Task<bool> IsAncestorAsync(string repository, string ancestor, string descendant, CancellationToken cancellationToken = default);
}

/// <summary>A config repository could not be read.</summary>
/// <param name="message">What failed, with no credential in it.</param>
/// <param name="transient">True when retrying later can help (network, timeouts).</param>
/// <param name="innerException">The cause.</param>
public sealed class ConfigSourceException(string message, bool transient, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>True when retrying later can help.</summary>
    public bool IsTransient { get; } = transient;
}
