using GitOps.Core.Previews;
using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>
/// Brings a pull request's head into the git adapter's mirror of a configured repository. The head may live in a fork,
/// so it is fetched through the host's own pull-request ref of the configured repository (GitHub
/// <c>refs/pull/N/head</c>, GitLab <c>refs/merge-requests/N/head</c>, Azure DevOps <c>refs/pull/N/merge</c>, whose
/// second parent is the source commit), from the configured URL with the repository's own credentials: never from a
/// URL a payload names.
/// </summary>
public interface IPullRequestSource
{
    /// <summary>Fetches the pull request's ref and returns its head commit.</summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="pullRequest">The pull request; its <see cref="PullRequestRef.HeadSha"/> must arrive with the fetch.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The head commit, or null when the ref no longer leads to that head (the pull request moved on or closed).</returns>
    /// <exception cref="ConfigSourceException">The repository could not be read.</exception>
    Task<CommitInfo?> FetchHeadAsync(string repository, PullRequestRef pullRequest, CancellationToken cancellationToken = default);

    /// <summary>
    /// The paths a pull request changes: those that differ between the merge base of <paramref name="baseSha"/> and
    /// <paramref name="headSha"/>, and <paramref name="headSha"/> (what GitHub's "Files changed" shows), both in the mirror.
    /// </summary>
    /// <exception cref="ConfigSourceException">A commit is missing or the mirror could not be read.</exception>
    Task<IReadOnlyList<string>> ChangedPathsAsync(string repository, string baseSha, string headSha, CancellationToken cancellationToken = default);

    /// <summary>The parents of a commit in the mirror (fetched when missing), to find the pull request a merge commit merged.</summary>
    /// <exception cref="ConfigSourceException">The commit is missing or the mirror could not be read.</exception>
    Task<IReadOnlyList<string>> ParentsAsync(string repository, string sha, CancellationToken cancellationToken = default);
}
