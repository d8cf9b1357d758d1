namespace GitOps.Core.Previews;

/// <summary>
/// An authenticated pull-request event as the webhook hands it on (queue kind <c>pullRequest</c>): the queued fan-out
/// step fetches the head through the host's pull-request ref, works out which environments it touches (judged against
/// <c>gitops.yaml</c> on the default branch) and enqueues one <see cref="PreviewJob"/> each. The webhook does no git work.
/// </summary>
public sealed record PullRequestJob
{
    /// <summary>A unique id for this job.</summary>
    public required string JobId { get; init; }

    /// <summary>The configured repository name the delivery was authenticated for.</summary>
    public required string Repository { get; init; }

    /// <summary>The pull request.</summary>
    public required PullRequestRef PullRequest { get; init; }

    /// <summary>The webhook delivery id.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>When the webhook enqueued it.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }
}
