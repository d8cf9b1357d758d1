using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>
/// Out-of-band changes waiting for an environment's next event-driven drift run, at most one per resource (a newer
/// event for the same resource replaces the older one), and the environment's "a job is scheduled" mark that makes a
/// storm of events enqueue one job per coalescing window instead of one per event.
/// </summary>
public interface IChangeInbox
{
    /// <summary>Records a change for the environment (an upsert keyed by resource id).</summary>
    Task AddAsync(string repository, string environment, ChangeAttribution change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks that a job for the environment's inbox is scheduled, unless one is (a mark older than <paramref name="expiry"/>
    /// counts as lost and is taken over). True: the caller made the mark and must enqueue the job.
    /// </summary>
    Task<bool> TryMarkScheduledAsync(string repository, string environment, string jobId, DateTimeOffset now, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Removes the environment's mark (whoever made it), so the next change schedules a job again.</summary>
    Task ClearScheduledAsync(string repository, string environment, CancellationToken cancellationToken = default);

    /// <summary>The waiting changes, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<InboxItem>> ReadAsync(string repository, string environment, int max, CancellationToken cancellationToken = default);

    /// <summary>Removes changes a run has handled, each only if no newer event replaced it meanwhile (its ETag).</summary>
    Task AcknowledgeAsync(string repository, string environment, IReadOnlyCollection<InboxItem> items, CancellationToken cancellationToken = default);
}

/// <summary>A waiting change and its version.</summary>
/// <param name="Change">The change with its actor.</param>
/// <param name="ETag">Its version, for <see cref="IChangeInbox.AcknowledgeAsync"/>.</param>
public sealed record InboxItem(ChangeAttribution Change, string ETag);
