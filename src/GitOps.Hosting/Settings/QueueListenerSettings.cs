namespace GitOps.Hosting.Settings;

/// <summary>
/// The queue semantics of host.json's <c>extensions.queues</c>, used by <c>gitops serve</c>'s own listener so that
/// standalone runs behave like the Functions host (<c>GitOps__Queue__*</c>).
/// </summary>
public sealed record QueueListenerSettings
{
    /// <summary>Messages fetched per poll and processed in parallel (1–32).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Fetch again when fewer than this many are in flight.</summary>
    public int NewBatchThreshold { get; init; } = 8;

    /// <summary>Delay before a failed message is visible again (the retry delay).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a fetched message stays invisible while it is processed; renewed while work runs.</summary>
    public TimeSpan ProcessingTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Deliveries before a message goes to the poison queue.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>The longest wait between polls of an idle queue (polling backs off up to it).</summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromSeconds(2);
}
