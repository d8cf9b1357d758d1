using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>
/// A preview of one environment at a pull request's head (queue kind <c>preview</c>): validate, check policy, observe,
/// plan, record a run with trigger <see cref="RunTrigger.Preview"/>, publish. Never a reconcile: no lease, no write to
/// ARM, no Key Vault read, no change to the environment's state.
/// </summary>
public sealed record PreviewJob
{
    /// <summary>A unique id for this job.</summary>
    public required string JobId { get; init; }

    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The environment to preview.</summary>
    public required string Environment { get; init; }

    /// <summary>The pull request and the head to preview.</summary>
    public required PullRequestRef PullRequest { get; init; }

    /// <summary>Every environment the fan-out found affected at this head (for the comment's sections).</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>The webhook delivery id.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>When the fan-out enqueued it.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary><c>repository/environment</c>.</summary>
    public string EnvironmentKey => EnvironmentKeys.Of(Repository, Environment);
}
