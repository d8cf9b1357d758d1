namespace GitOps.Core.Runs;

/// <summary>
/// What the sync windows said about one trigger at one time: open or closed, a sentence naming the window that
/// decided, and when a closed trigger opens next. A run records it (with the override, when one was used).
/// </summary>
/// <param name="Open">True when runs of the trigger may change Azure now.</param>
/// <param name="Detail">Which window decided, e.g. "closed by deny window 'weekend' until 2026-12-07 06:00 UTC".</param>
/// <param name="OpensAt">When a closed trigger opens next; null when open, or when no opening was found within the search horizon.</param>
public sealed record SyncWindowStatus(bool Open, string Detail, DateTimeOffset? OpensAt)
{
    /// <summary>Who overrode a closed window (the job's requester), for manual and rollback runs only.</summary>
    public string? OverriddenBy { get; init; }

    /// <summary>The reason the override gave (<c>--reason</c>).</summary>
    public string? OverrideReason { get; init; }
}
