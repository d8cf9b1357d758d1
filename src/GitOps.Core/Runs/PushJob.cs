namespace GitOps.Core.Runs;

/// <summary>
/// An authenticated push, as the webhook hands it on: the queued fan-out step reads <c>gitops.yaml</c> on the default
/// branch, matches the environments the push concerns and enqueues their <see cref="ReconcileJob"/>s. The webhook does
/// no git work, so it answers within a second whatever the size of the push.
/// </summary>
public sealed record PushJob
{
    /// <summary>The most changed paths a message carries; a longer list is dropped (null), which matches every environment on the branch.</summary>
    public const int MaxChangedPaths = 500;

    /// <summary>A unique id for this job.</summary>
    public required string JobId { get; init; }

    /// <summary>The git host (wire name, e.g. <c>github</c>).</summary>
    public required string Provider { get; init; }

    /// <summary>The configured repository name the delivery was authenticated for.</summary>
    public required string Repository { get; init; }

    /// <summary>The pushed branch.</summary>
    public required string Branch { get; init; }

    /// <summary>The commit before the push (40 zeros when the branch was created).</summary>
    public string? Before { get; init; }

    /// <summary>The pushed commit.</summary>
    public required string After { get; init; }

    /// <summary>Paths changed by the push; null when unknown or too many (every environment on the branch then matches).</summary>
    public IReadOnlyList<string>? ChangedPaths { get; init; }

    /// <summary>True when the host listed only some of the pushed commits.</summary>
    public bool ChangedPathsTruncated { get; init; }

    /// <summary>The webhook delivery id.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>Who pushed, as the git host says.</summary>
    public string? Pusher { get; init; }

    /// <summary>When the webhook enqueued it.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }
}
