using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Git.Source;

/// <summary>
/// The Core <see cref="IConfigSource"/> over <see cref="GitSourceClient"/>: repositories are looked up by name in a
/// <see cref="RepositoryRegistry"/>, commits are fetched into the client's mirror cache and read without a working tree.
/// Every git failure becomes a <see cref="ConfigSourceException"/> that keeps <see cref="GitSourceException.IsTransient"/>
/// and the client's redacted message (no URL credentials, no token).
/// </summary>
public sealed class GitConfigSource : IConfigSource, IPullRequestSource
{
    private readonly GitSourceClient _git;
    private readonly RepositoryRegistry _repositories;

    /// <summary>Creates the source.</summary>
    /// <param name="git">The git client (and its cache).</param>
    /// <param name="repositories">The configured repositories.</param>
    public GitConfigSource(GitSourceClient git, RepositoryRegistry repositories)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(repositories);
        _git = git;
        _repositories = repositories;
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a commit, that commit is fetched (by SHA, falling back to <paramref name="branch"/> or the default branch, then
    /// every branch, when the server refuses unadvertised objects), so a commit that is only on another branch resolves. Without one, the tip of <paramref name="branch"/> (default: the repository's
    /// default branch) is fetched: the tip is read from the mirror after the fetch, so the files read later are that commit.
    /// </remarks>
    public Task<CommitInfo> ResolveAsync(string repository, string? branch, string? commit, CancellationToken cancellationToken = default) =>
        RunAsync(repository, async registered =>
        {
            var sha = await _git.FetchAsync(registered.Options, branch ?? registered.DefaultBranch, commit, cancellationToken).ConfigureAwait(false);
            return await _git.GetCommitAsync(registered.Options, sha, cancellationToken).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public string GetDefaultBranch(string repository) => _repositories.Get(repository).DefaultBranch;

    /// <inheritdoc />
    public Task<IFileTree> ReadAsync(string repository, string commit, string? folder, CancellationToken cancellationToken = default) =>
        RunAsync<IFileTree>(repository, async registered =>
            await _git.ReadFilesAsync(registered.Options, commit, folder, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    /// <remarks>
    /// False, not an error, when <paramref name="ancestor"/> does not exist in the repository (no branch has it, or it was
    /// only on a deleted branch). A transient <see cref="ConfigSourceException"/> only for network or storage failures.
    /// </remarks>
    public Task<bool> IsAncestorAsync(string repository, string ancestor, string descendant, CancellationToken cancellationToken = default) =>
        RunAsync(repository, registered => _git.IsAncestorAsync(registered.Options, ancestor, descendant, cancellationToken));

    /// <inheritdoc />
    public Task<CommitInfo?> FetchHeadAsync(string repository, GitOps.Core.Previews.PullRequestRef pullRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        return RunAsync(repository, async registered =>
        {
            if (!await _git.FetchPullRequestAsync(registered.Options, pullRequest.Provider, pullRequest.Number, pullRequest.HeadSha, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return (CommitInfo?)await _git.GetCommitAsync(registered.Options, pullRequest.HeadSha, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ChangedPathsAsync(string repository, string baseSha, string headSha, CancellationToken cancellationToken = default) =>
        RunAsync(repository, registered => _git.ChangedPathsAsync(registered.Options, baseSha, headSha, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ParentsAsync(string repository, string sha, CancellationToken cancellationToken = default) =>
        RunAsync(repository, registered => _git.ParentsAsync(registered.Options, sha, cancellationToken));

    private async Task<T> RunAsync<T>(string repository, Func<RegisteredRepository, Task<T>> operation)
    {
        var registered = _repositories.Get(repository);
        try
        {
            return await operation(registered).ConfigureAwait(false);
        }
        catch (GitSourceException ex)
        {
            throw new ConfigSourceException($"Repository '{registered.Name}': {ex.Message}", ex.IsTransient, ex);
        }
        catch (LibGit2Sharp.LibGit2SharpException ex)
        {
            // The mirror could not be read (storage trouble); the next fetch checks it and rebuilds it when broken.
            throw new ConfigSourceException($"Repository '{registered.Name}': the git cache could not be read: {GitUrlRedactor.Redact(ex.Message)}", transient: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The mirror cache folder could not be used (disk full, permissions): another worker or a later try may succeed.
            throw new ConfigSourceException($"Repository '{registered.Name}': the git cache could not be used: {ex.Message}", transient: true, ex);
        }
    }
}
