namespace GitOps.Core.Alerts;

/// <summary>
/// One notification for people: what happened to which environment, in which run, at which commit. Built from run
/// summaries and resource ids only, never from property values, so it cannot carry a secret.
/// </summary>
public sealed record Alert
{
    /// <summary>What it is about.</summary>
    public required AlertKind Kind { get; init; }

    /// <summary><c>repository/environment</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>The run that raised it, when there is one.</summary>
    public string? RunId { get; init; }

    /// <summary>The commit reconciled (or requested), when known.</summary>
    public string? Commit { get; init; }

    /// <summary>One sentence: what happened and what to do.</summary>
    public required string Summary { get; init; }

    /// <summary>Supporting lines: errors, differing resources (at most <see cref="AlertRules.MaxDetails"/>).</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>Who changed Azure outside git, for alerts about drift (from the run's ARM events, or "an unknown actor"); null otherwise.</summary>
    public string? ChangedBy { get; init; }

    /// <summary>When it was raised.</summary>
    public required DateTimeOffset Time { get; init; }
}
