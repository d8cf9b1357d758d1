using GitOps.Core.Previews;

namespace GitOps.Core.Ports;

/// <summary>
/// Writes a preview onto the pull request through the git host's API, with the token from settings (never logged):
/// one comment per pull request, found again by its hidden marker <b>and</b> our own author identity and updated in
/// place, and one commit status (GitHub, GitLab) or pull-request status (Azure DevOps) per environment, named
/// <c>gitops/&lt;environment&gt;</c>.
/// </summary>
public interface IPullRequestPublisher
{
    /// <summary>Creates or updates our comment on the pull request so that it reads <paramref name="markdown"/>.</summary>
    /// <param name="pullRequest">The pull request.</param>
    /// <param name="markdown">The whole comment; it must contain <see cref="PreviewComment.Marker"/>.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="PullRequestPublishException">The host refused or failed.</exception>
    Task UpsertCommentAsync(PullRequestRef pullRequest, string markdown, CancellationToken cancellationToken = default);

    /// <summary>Sets the status <c>gitops/&lt;environment&gt;</c> on the pull request's head commit.</summary>
    /// <exception cref="PullRequestPublishException">The host refused or failed.</exception>
    Task SetStatusAsync(PullRequestRef pullRequest, string environment, PreviewStatusState state, string description, CancellationToken cancellationToken = default);
}

/// <summary>A git host's API refused or failed a call; the message names the call and status, never the token.</summary>
/// <param name="message">What failed.</param>
/// <param name="transient">True when retrying may help (5xx, 429, network).</param>
/// <param name="innerException">The cause.</param>
public sealed class PullRequestPublishException(string message, bool transient, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>True when retrying may help.</summary>
    public bool IsTransient { get; } = transient;
}
