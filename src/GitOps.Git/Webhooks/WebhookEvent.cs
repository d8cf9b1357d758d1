namespace GitOps.Git.Webhooks;

/// <summary>
/// A delivery normalised across providers. For anything that is not a push, every field after
/// <see cref="IsPush"/> is null (and <see cref="ChangedPathsTruncated"/> false).
/// </summary>
public sealed record WebhookEvent
{
    /// <summary>Who sent it.</summary>
    public required WebhookProvider Provider { get; init; }

    /// <summary>The provider's event name (event header, or Azure DevOps' <c>eventType</c>).</summary>
    public string? Event { get; init; }

    /// <summary>The provider's delivery id, used for replay protection.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>True when the signature, token or credentials checked out.</summary>
    public bool Authentic { get; init; }

    /// <summary>True for a git push (branch or tag, including deletions).</summary>
    public bool IsPush { get; init; }

    /// <summary><c>owner/name</c> (GitLab: the full namespace path; Azure DevOps: <c>project/repository</c>).</summary>
    public string? RepoFullName { get; init; }

    /// <summary>The clone URLs in the payload, HTTPS first.</summary>
    public IReadOnlyList<string>? CloneUrls { get; init; }

    /// <summary>The full ref (<c>refs/heads/main</c>, <c>refs/tags/v1</c>).</summary>
    public string? Ref { get; init; }

    /// <summary>The branch name, or null for tags.</summary>
    public string? Branch { get; init; }

    /// <summary>True when the ref is a tag.</summary>
    public bool? Tag { get; init; }

    /// <summary>The tag name, or null for branches.</summary>
    public string? TagName { get; init; }

    /// <summary>The SHA before the push (40 zeros when the ref was created).</summary>
    public string? Before { get; init; }

    /// <summary>The SHA after the push (40 zeros when the ref was deleted).</summary>
    public string? After { get; init; }

    /// <summary>True when the ref was deleted.</summary>
    public bool? Deleted { get; init; }

    /// <summary>Who pushed.</summary>
    public string? Pusher { get; init; }

    /// <summary>
    /// The union of added, modified and removed paths over the pushed commits, sorted ordinally; empty when no
    /// commits were pushed; null when the payload has no per-commit file lists.
    /// </summary>
    public IReadOnlyList<string>? ChangedPaths { get; init; }

    /// <summary>True when the payload lists fewer commits than were pushed, so <see cref="ChangedPaths"/> is incomplete.</summary>
    public bool ChangedPathsTruncated { get; init; }

    /// <summary>
    /// For a pull-request event of GitHub, GitLab or Azure DevOps: the pull request (the push fields above stay null,
    /// as for every event that is not a push); null for any other event.
    /// </summary>
    public WebhookPullRequest? PullRequest { get; init; }

    /// <summary>The SHA git uses for "no commit" (ref created or deleted).</summary>
    public const string ZeroSha = "0000000000000000000000000000000000000000";
}
