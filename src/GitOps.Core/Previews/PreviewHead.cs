namespace GitOps.Core.Previews;

/// <summary>A pull request's current head as the fan-out step saw it, and the environments it touches there.</summary>
public sealed record PreviewHead
{
    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The pull request at that head.</summary>
    public required PullRequestRef PullRequest { get; init; }

    /// <summary>The affected environments (may be empty: the pull request touches no environment).</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>The default branch's tip whose <c>gitops.yaml</c> decided <see cref="Environments"/>.</summary>
    public string? DefinitionsSha { get; init; }

    /// <summary>When the fan-out saw it.</summary>
    public required DateTimeOffset At { get; init; }
}
