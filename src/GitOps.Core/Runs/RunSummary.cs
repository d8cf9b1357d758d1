using GitOps.Core.Apply;

namespace GitOps.Core.Runs;

/// <summary>
/// The list form of a run, as the run ledger keeps it: who, when, what commit, how it ended and the counts, but
/// neither the plan nor per-resource results (those stay in the run's full record, read when the run is shown).
/// </summary>
public sealed record RunSummary
{
    /// <summary>The longest <see cref="Summary"/> the ledger keeps (a table property holds at most 64 KiB).</summary>
    public const int MaxSummaryLength = 2000;

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The environment name.</summary>
    public required string Environment { get; init; }

    /// <summary><c>repository/environment</c>.</summary>
    public string EnvironmentKey => EnvironmentKeys.Of(Repository, Environment);

    /// <summary>What started it.</summary>
    public required RunTrigger Trigger { get; init; }

    /// <summary>Who asked, for manual runs.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Which delivery of the job this was.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The commit reconciled (its message cut to the subject line), or null.</summary>
    public CommitInfo? Commit { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How it ended.</summary>
    public RunOutcome Outcome { get; init; }

    /// <summary>The reason of the <c>Ready</c> condition, or null.</summary>
    public string? Reason { get; init; }

    /// <summary>One sentence: what happened (at most <see cref="MaxSummaryLength"/> characters).</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>Planned creates.</summary>
    public int Creates { get; init; }

    /// <summary>Planned updates.</summary>
    public int Updates { get; init; }

    /// <summary>Planned deletes.</summary>
    public int Deletes { get; init; }

    /// <summary>Resources with drift.</summary>
    public int Drifted { get; init; }

    /// <summary>Resource writes that failed.</summary>
    public int Failed { get; init; }

    /// <summary>Errors recorded.</summary>
    public int ErrorCount { get; init; }

    /// <summary>Who changed Azure outside git, on a drift run that found such changes (e.g. <c>alice@contoso.com (portal)</c>, or <c>an unknown actor</c>); null otherwise.</summary>
    public string? ChangedBy { get; init; }

    /// <summary>Where the full record is kept (a blob name in the reconciler's container); null when unknown.</summary>
    public string? Body { get; init; }

    /// <summary>The summary of a full record.</summary>
    /// <param name="run">The record.</param>
    /// <param name="body">Where its full record is kept.</param>
    /// <returns>The summary.</returns>
    public static RunSummary Of(RunRecord run, string? body = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var plan = run.Plan?.Summary;
        return new RunSummary
        {
            RunId = run.RunId,
            Repository = run.Repository,
            Environment = run.Environment,
            Trigger = run.Trigger,
            RequestedBy = run.RequestedBy,
            Attempt = run.Attempt,
            Commit = run.Commit is { } commit ? commit with { Message = Cut(commit.Subject, 500) } : null,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            Outcome = run.Outcome,
            Reason = run.Reason,
            Summary = Cut(run.Summary, MaxSummaryLength),
            Creates = plan?.Create ?? 0,
            Updates = plan?.Update ?? 0,
            Deletes = plan?.Delete ?? 0,
            Drifted = plan?.Drift ?? 0,
            Failed = run.ResultCounts?.Failed ?? run.Results.Count(r => r.Outcome == ResourceOutcome.Failed),
            ErrorCount = run.Errors.Count,
            Body = body,
            ChangedBy = ChangedByOf(run),
        };
    }

    /// <summary>The one-line actor of a record: the first actor, and how many others there were.</summary>
    /// <param name="run">The record.</param>
    /// <returns>The line, or null when the run found no change outside git.</returns>
    public static string? ChangedByOf(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.ChangedBy is not { Count: > 0 } changes)
        {
            return null;
        }

        var actors = changes.Select(c => c.Actor.Display).Distinct(StringComparer.Ordinal).ToList();
        return Cut(actors.Count == 1 ? actors[0] : $"{actors[0]} and {actors.Count - 1} other(s)", 300);
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
