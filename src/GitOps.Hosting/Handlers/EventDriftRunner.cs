using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// Runs an event-driven drift job (<see cref="JobScope.Events"/>): takes the changes waiting in the environment's inbox,
/// runs a drift check narrowed to them (<see cref="RunScope"/>; the whole environment past
/// <see cref="EventSettings.MaxTargetedResources"/>), removes the changes it handled, removes index entries found
/// stale, and schedules the next job if more changes arrived during the run.
/// </summary>
/// <param name="settings">Limits and the window.</param>
/// <param name="inbox">The inbox.</param>
/// <param name="scheduler">Schedules the next job.</param>
/// <param name="index">The resource index, for stale entries.</param>
/// <param name="states">Environment state, read when entries may be stale.</param>
/// <param name="logger">Log.</param>
public sealed class EventDriftRunner(
    EventSettings settings,
    IChangeInbox inbox,
    EventJobScheduler scheduler,
    IResourceIndex index,
    IEnvironmentStateStore states,
    ILogger<EventDriftRunner> logger)
{
    /// <summary>How a run of one job ends, as the job handler reports it.</summary>
    /// <param name="Disposition">What the host does with the message.</param>
    /// <param name="Run">The run recorded, if any.</param>
    /// <param name="Requeued">True when the reconciler put the job back on the queue itself (busy lease, throttling, a closed window).</param>
    public readonly record struct Ran(MessageDisposition Disposition, RunRecord? Run, bool Requeued);

    /// <summary>Runs the job.</summary>
    /// <param name="job">The event-driven drift job.</param>
    /// <param name="run">Runs the reconciler with a scope (null: the whole environment).</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public async Task<(MessageDisposition Disposition, RunRecord? Run)> RunAsync(ReconcileJob job, Func<RunScope?, CancellationToken, Task<Ran>> run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        var items = await inbox.ReadAsync(job.Repository, job.Environment, settings.MaxTargetedResources + 1, cancellationToken).ConfigureAwait(false);
        if (items.Count == 0)
        {
            // An earlier run took them (this job was scheduled while it ran): nothing to check, nothing to record.
            logger.LogInformation("Event-driven drift job {JobId} of {Environment}: no changes waiting.", job.JobId, job.EnvironmentKey);
            await scheduler.RescheduleAsync(job.Repository, job.Environment, settings.CoalesceWindow, cancellationToken).ConfigureAwait(false);
            return (MessageDisposition.Complete, null);
        }

        RunScope? scope = null;
        if (items.Count <= settings.MaxTargetedResources)
        {
            scope = new RunScope($"{items.Count} out-of-band change(s) reported by ARM events", items.Select(i => i.Change).ToList());
        }
        else
        {
            logger.LogInformation("{Environment}: more than {Max} changed resources are waiting; this drift run checks the whole environment.", job.EnvironmentKey, settings.MaxTargetedResources);
        }

        var ran = await run(scope, cancellationToken).ConfigureAwait(false);
        if (ran.Requeued || ran.Disposition != MessageDisposition.Complete)
        {
            // The job comes back (re-enqueued, or retried by the queue) and reads the inbox again: keep it and the mark.
            return (ran.Disposition, ran.Run);
        }

        await inbox.AcknowledgeAsync(job.Repository, job.Environment, items, cancellationToken).ConfigureAwait(false);
        if (ran.Run?.Scope is { NotDeclaredCount: > 0 } recorded)
        {
            await RemoveStaleAsync(job, recorded.NotDeclared, cancellationToken).ConfigureAwait(false);
        }

        await scheduler.RescheduleAsync(job.Repository, job.Environment, settings.CoalesceWindow, cancellationToken).ConfigureAwait(false);
        return (ran.Disposition, ran.Run);
    }

    // An id the index routed here that the environment neither declares nor holds in its inventory: its entry is stale
    // (a run removed it but failed to delete the entry, or added it and then lost the race to write its state). Only
    // entries older than the last recorded run go, and only if unchanged since read (ETag): a run adding the id now
    // rewrites the entry first, so it is never lost.
    private async Task RemoveStaleAsync(ReconcileJob job, IReadOnlyList<string> notDeclared, CancellationToken cancellationToken)
    {
        try
        {
            var state = (await states.GetAsync(job.EnvironmentKey, cancellationToken).ConfigureAwait(false))?.State;
            if (state?.LastRunAt is not { } lastRun)
            {
                return;
            }

            foreach (var id in notDeclared.Where(id => !state.Inventory.Contains(id)))
            {
                foreach (var entry in await index.FindAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    if (entry.Repository == job.Repository && entry.Environment == job.Environment && entry.UpdatedAt < lastRun
                        && await index.RemoveStaleAsync(entry, cancellationToken).ConfigureAwait(false))
                    {
                        logger.LogInformation("Removed the stale index entry of {ResourceId} for {Environment}.", id, job.EnvironmentKey);
                    }
                }
            }
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
        {
            // A stale entry only costs a lookup; the next run removes it.
            logger.LogWarning("Stale index entries of {Environment} were not removed: {Reason}", job.EnvironmentKey, error.Message);
        }
    }
}
