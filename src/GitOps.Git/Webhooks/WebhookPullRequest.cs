namespace GitOps.Git.Webhooks;

/// <summary>
/// A pull-request event normalised across GitHub (<c>pull_request</c>), GitLab (<c>Merge Request Hook</c>) and Azure
/// DevOps (<c>git.pullrequest.created</c>/<c>updated</c>). The repository fields are the <b>target</b> repository's
/// (the one a configured repository must match); the head may live in a fork and is fetched through the target's own
/// pull-request ref, never from a URL named here.
/// </summary>
public sealed record WebhookPullRequest
{
    /// <summary>The host's action (<c>opened</c>, <c>synchronize</c>, <c>open</c>, <c>update</c>, <c>git.pullrequest.updated</c>…).</summary>
    public string? Action { get; init; }

    /// <summary>True when the action asks for a preview: opened, new commits, reopened (and the pull request is open).</summary>
    public required bool Previewable { get; init; }

    /// <summary>The number (GitHub <c>number</c>, GitLab <c>iid</c>, Azure DevOps <c>pullRequestId</c>).</summary>
    public required long Number { get; init; }

    /// <summary>The target repository's <c>owner/name</c> (GitLab: the namespace path; Azure DevOps: <c>project/repository</c>).</summary>
    public string? RepoFullName { get; init; }

    /// <summary>The target repository's clone URLs, HTTPS first (for matching only, never fetched).</summary>
    public IReadOnlyList<string>? CloneUrls { get; init; }

    /// <summary>The head commit.</summary>
    public string? HeadSha { get; init; }

    /// <summary>The source branch's name.</summary>
    public string? SourceBranch { get; init; }

    /// <summary>The branch it would merge into.</summary>
    public string? TargetBranch { get; init; }

    /// <summary>True when the source is another repository (a fork).</summary>
    public bool FromFork { get; init; }

    /// <summary>Who opened it.</summary>
    public string? Author { get; init; }

    /// <summary>Its title.</summary>
    public string? Title { get; init; }
}
