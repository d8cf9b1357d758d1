namespace GitOps.Core.Runs;

/// <summary>
/// One invocation of a run (docs/architecture.md, "Time budget, checkpoints and segments"): a run that spends its time
/// budget checkpoints and continues in a follow-up job, and each invocation is one segment of the same run.
/// </summary>
public sealed record RunSegment
{
    /// <summary>1 for the first invocation, then one more for each.</summary>
    public required int Number { get; init; }

    /// <summary>When the segment started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended; for an <see cref="RunSegmentEnd.Interrupted"/> one, the time of its last checkpoint.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How it ended.</summary>
    public RunSegmentEnd End { get; init; }

    /// <summary>The queue's dequeue count of the message that ran it.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Declared resources read from ARM in this segment.</summary>
    public int Observed { get; init; }

    /// <summary>
    /// Of <see cref="Observed"/>, writes of an earlier segment that may have been sent but were not recorded before it
    /// stopped: read again instead of trusting the plan.
    /// </summary>
    public int Reobserved { get; init; }

    /// <summary>ARM writes (PUT or DELETE) that ended in this segment, succeeded or failed.</summary>
    public int Writes { get; init; }

    /// <summary>What it did, in one sentence.</summary>
    public string Summary { get; init; } = string.Empty;
}

/// <summary>How a <see cref="RunSegment"/> ended.</summary>
public enum RunSegmentEnd
{
    /// <summary>It is running (or its worker died and no later segment has looked yet).</summary>
    Running,

    /// <summary>The time budget was spent: it checkpointed and queued a follow-up job for the next segment.</summary>
    Continued,

    /// <summary>The run ended in it (whatever the outcome).</summary>
    Finished,

    /// <summary>Its worker died (killed, timed out); a later segment resumed from its last checkpoint.</summary>
    Interrupted,

    /// <summary>It stopped early (the worker shut down, the lease was lost or storage failed); its job is delivered again and resumes.</summary>
    Stopped,
}
