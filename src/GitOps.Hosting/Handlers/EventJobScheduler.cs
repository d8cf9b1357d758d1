using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Hosting.Settings;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// Enqueues an environment's event-driven drift job (<see cref="JobScope.Events"/>), unless one is scheduled already
/// (the inbox's mark): a storm of events becomes one job per coalescing window. The event handler marks after it
/// records the change, and a finished run clears the mark before it looks at the inbox again, so no recorded change
/// is ever left without a job to take it.
/// </summary>
/// <param name="settings">The mark's expiry.</param>
/// <param name="inbox">The inbox and its mark.</param>
/// <param name="queue">The reconcile queue.</param>
/// <param name="timeProvider">Clock.</param>
public sealed class EventJobScheduler(EventSettings settings, IChangeInbox inbox, IJobQueue queue, TimeProvider? timeProvider = null)
{
    /// <summary>Who event-driven drift jobs are requested by (their runs name the actors of the changes).</summary>
    public const string RequestedBy = "arm-events";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Marks and enqueues the job, visible after <paramref name="delay"/>, unless one is scheduled.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="delay">When the job becomes visible (the coalescing window).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>True when this call enqueued the job.</returns>
    public async Task<bool> ScheduleAsync(string repository, string environment, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var job = ReconcileJob.Create(repository, environment, RunTrigger.Drift, commit: null, now, requestedBy: RequestedBy) with { Scope = JobScope.Events };
        if (!await inbox.TryMarkScheduledAsync(repository, environment, job.JobId, now, settings.ScheduleExpiry, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            await queue.EnqueueAsync(job, delay, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch
        {
            // Without its job the mark would hold back every later event until it expires.
            await inbox.ClearScheduledAsync(repository, environment, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// After a run took the inbox: clears the mark, and schedules the next job when changes arrived meanwhile (they fold
    /// into that run), visible after <paramref name="delay"/>.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="delay">The coalescing window.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>True when a next job was enqueued.</returns>
    public async Task<bool> RescheduleAsync(string repository, string environment, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        await inbox.ClearScheduledAsync(repository, environment, cancellationToken).ConfigureAwait(false);
        var waiting = await inbox.ReadAsync(repository, environment, 1, cancellationToken).ConfigureAwait(false);
        return waiting.Count > 0 && await ScheduleAsync(repository, environment, delay, cancellationToken).ConfigureAwait(false);
    }
}
