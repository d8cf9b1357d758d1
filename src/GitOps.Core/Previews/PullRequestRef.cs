namespace GitOps.Core.Previews;

/// <summary>
/// A pull request (GitHub), merge request (GitLab) or pull request (Azure DevOps) of a configured repository, as an
/// authenticated webhook named it. Only a request: the head is fetched from the configured repository through the
/// host's own pull-request ref, never from a URL the payload names, and the environments it is judged against come
/// from the default branch.
/// </summary>
public sealed record PullRequestRef
{
    /// <summary>The largest pull-request number accepted (it becomes part of a git ref and of blob names).</summary>
    public const long MaxNumber = 1_000_000_000_000;

    /// <summary>The git host, by wire name: <c>github</c>, <c>gitlab</c> or <c>azure-devops</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The pull request's number (GitHub <c>number</c>, GitLab <c>iid</c>, Azure DevOps <c>pullRequestId</c>).</summary>
    public required long Number { get; init; }

    /// <summary>The head commit the event names (lower-case hex).</summary>
    public required string HeadSha { get; init; }

    /// <summary>The branch the pull request would merge into.</summary>
    public required string TargetBranch { get; init; }

    /// <summary>The source branch's name, for display only (it may be a fork's branch).</summary>
    public string? SourceBranch { get; init; }

    /// <summary>True when the head lives in another repository (a fork).</summary>
    public bool FromFork { get; init; }

    /// <summary>Who opened it, as the host says (display only).</summary>
    public string? Author { get; init; }

    /// <summary>The title, cut to 200 characters (display only).</summary>
    public string? Title { get; init; }

    /// <summary>True when <paramref name="number"/> can be a pull request's number.</summary>
    public static bool IsValidNumber(long number) => number is > 0 and <= MaxNumber;

    /// <summary>True when <paramref name="sha"/> is a full commit id (40 or 64 hex digits).</summary>
    public static bool IsSha(string? sha) => sha is { Length: 40 or 64 } && sha.All(Uri.IsHexDigit);
}
