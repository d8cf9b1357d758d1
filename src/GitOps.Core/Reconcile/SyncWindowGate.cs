using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The reconciler's sync-window step, after the commit is chosen and before anything is observed: outside its
/// windows a push, manual or rollback job is recorded as <see cref="RunOutcome.Deferred"/> and put back on the queue
/// until the window opens; a drift run still observes and plans but writes nothing. A manual or rollback job may carry
/// an override with a reason; it is recorded with its requester and raises an alert.
/// </summary>
internal static class SyncWindowGate
{
    /// <summary>
    /// The longest a deferred job waits on the queue: a queue message lives 7 days (its visibility delay must be
    /// shorter), so the job comes back after at most 6 days, checks the windows again and waits again if need be.
    /// </summary>
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromDays(6);

    /// <summary>The most characters of an override reason copied into records and alerts.</summary>
    public const int MaxReasonLength = EnvironmentControl.MaxTextLength;

    /// <summary>Decides the run's fate under the environment's windows.</summary>
    public static void Check(RunContext context, DateTimeOffset now)
    {
        var windows = context.Environment!.SyncWindows;
        var job = context.Job;
        if (windows.Count == 0)
        {
            return;
        }

        var status = SyncWindows.Evaluate(windows, job.Trigger, now);
        context.Window = status;
        var reason = job.WindowOverrideReason is { } text ? text.Length > MaxReasonLength ? text[..MaxReasonLength] : text : null;
        if (status.Open)
        {
            if (reason is not null)
            {
                context.Warnings.Add($"The job asked to override the sync window, but it is {status.Detail}: no override was needed.");
            }

            return;
        }

        if (reason is not null && job.Trigger is RunTrigger.Manual or RunTrigger.Rollback)
        {
            var by = job.RequestedBy ?? "unknown";
            context.Window = status with { OverriddenBy = by, OverrideReason = reason };
            context.Warnings.Add($"Sync window overridden by {by} ({status.Detail}): {reason}");
            return;
        }

        if (reason is not null)
        {
            // Only a person's request may override; a push or drift job carrying one was not made by this code.
            context.Warnings.Add($"The {SyncWindows.Name(job.Trigger)} job carries a sync-window override; only manual and rollback jobs may, so it was ignored.");
        }

        if (job.Trigger == RunTrigger.Drift)
        {
            context.DriftHeldByWindow = status.Detail;
            context.Warnings.Add($"Sync window {status.Detail}: drift is reported, not corrected.");
            return;
        }

        // Pushes that came while the window was closed collapse into the newest one: this push's commit is behind the
        // branch tip, whose own push job (or the drift timer) applies it once the window opens.
        if (job.Trigger == RunTrigger.Push && job.Commit is not null && !string.Equals(job.Commit, context.Commit?.Sha, StringComparison.OrdinalIgnoreCase))
        {
            context.Stop(RunOutcome.Superseded, $"Sync window {status.Detail}; the branch has moved past this push to {context.Commit?.ShortSha}, whose job applies it when the window opens. Nothing was observed or written.");
            return;
        }

        var wait = status.OpensAt is { } opens && opens - now < MaxDeferral ? opens - now : MaxDeferral;
        var capped = status.OpensAt is not { } at || at - now >= MaxDeferral;
        context.WindowDeferBy = wait;
        context.Stop(
            RunOutcome.Deferred,
            Conditions.SyncWindowClosed,
            $"Deferred: sync window {status.Detail}. The job waits on the queue and runs at {SyncWindows.Time(now + wait)}" +
            (capped ? " (a queue message waits at most 6 days; it checks the windows again then)" : string.Empty) +
            "; nothing was observed or written.");
    }

    /// <summary>
    /// Puts the deferred job back on the queue. The current message is completed only once the new one is enqueued: a
    /// worker that dies before leaves the current message to come back, so a deferred job is never lost.
    /// </summary>
    public static async Task<ReconcileResult> RequeueAsync(IJobQueue queue, ReconcileJob job, TimeSpan wait, RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnqueueAsync(job, wait, cancellationToken).ConfigureAwait(false);
            return new ReconcileResult(JobDisposition.Deferred, run);
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
        {
            return new ReconcileResult(JobDisposition.Retry, run);
        }
    }
}
