using GitOps.Core.Runs;

namespace GitOps.Core.Previews;

/// <summary>One environment's preview at one head: what the comment and the status show, and what the merge is compared with.</summary>
public sealed record PreviewRecord
{
    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The environment.</summary>
    public required string Environment { get; init; }

    /// <summary>The pull request at the previewed head.</summary>
    public required PullRequestRef PullRequest { get; init; }

    /// <summary>The preview's run.</summary>
    public required string RunId { get; init; }

    /// <summary>How the preview ended.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>The status it earns.</summary>
    public required PreviewStatusState State { get; init; }

    /// <summary>The plan's <see cref="PlanHash"/> (before redaction), when a plan was made.</summary>
    public string? PlanHash { get; init; }

    /// <summary>The run's summary.</summary>
    public required string Summary { get; init; }

    /// <summary>This environment's section of the comment (markdown, already redacted).</summary>
    public required string Markdown { get; init; }

    /// <summary>When it finished.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The status a preview outcome earns: success when valid and within policy; failure for invalid, denied or refused; error otherwise.</summary>
    public static PreviewStatusState StateOf(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Previewed or RunOutcome.NoChanges => PreviewStatusState.Success,
        RunOutcome.Invalid or RunOutcome.PolicyDenied or RunOutcome.Refused => PreviewStatusState.Failure,
        _ => PreviewStatusState.Error,
    };
}
