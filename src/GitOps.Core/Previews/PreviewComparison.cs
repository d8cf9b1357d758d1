namespace GitOps.Core.Previews;

/// <summary>
/// "Merged as shown": how the plan of the run that applied a merged pull request compares with that pull request's
/// last preview. A difference means something moved between the preview and the merge (live state changed, or other
/// changes reached the branch first).
/// </summary>
public sealed record PreviewComparison
{
    /// <summary>The pull request whose preview was found.</summary>
    public required long PullRequest { get; init; }

    /// <summary>The git host (wire name).</summary>
    public string? Provider { get; init; }

    /// <summary>The head commit that was previewed.</summary>
    public required string HeadSha { get; init; }

    /// <summary>The preview's run.</summary>
    public required string PreviewRunId { get; init; }

    /// <summary>The preview's <see cref="PlanHash"/>.</summary>
    public required string PreviewPlanHash { get; init; }

    /// <summary>This run's <see cref="PlanHash"/>.</summary>
    public required string PlanHash { get; init; }

    /// <summary>True when both hashes are equal: the merge did what the preview showed.</summary>
    public bool Matches => string.Equals(PreviewPlanHash, PlanHash, StringComparison.Ordinal);

    /// <summary>How the merged commit relates to the previewed head: <c>head</c> (the same commit), <c>merge</c> (its parent).</summary>
    public required string Relation { get; init; }

    /// <summary>One sentence for the run record and the status page.</summary>
    public string Summary => Matches
        ? $"Merged as shown: the plan matches the preview of #{PullRequest} at {Short(HeadSha)} (run {PreviewRunId})."
        : $"Differs from the preview: the plan of #{PullRequest} at {Short(HeadSha)} (run {PreviewRunId}) was {PreviewPlanHash[..Math.Min(19, PreviewPlanHash.Length)]}…, this run's is {PlanHash[..Math.Min(19, PlanHash.Length)]}…; live state or the branch moved between the preview and the merge.";

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
