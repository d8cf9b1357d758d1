using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>What the caller (the queue function) must do with the job after a reconcile.</summary>
public enum JobDisposition
{
    /// <summary>Done (whatever the outcome, it is recorded): delete the message.</summary>
    Complete,

    /// <summary>A transient failure: fail the invocation so the queue retries it (and poisons it past the limit).</summary>
    Retry,

    /// <summary>Another worker holds the environment: the job was re-enqueued with a delay; delete this message.</summary>
    Deferred,

    /// <summary>
    /// ARM throttled the run or asked for time (<c>Retry-After</c>): the run is recorded and its job was re-enqueued as a
    /// new message visible after <see cref="ReconcileResult.RetryAfter"/>; delete this message. Waiting for ARM is not a
    /// failure, so it does not use up the dequeue count that sends real failures to the poison queue.
    /// </summary>
    RetryAfter,

    /// <summary>
    /// The run spent its time budget: it checkpointed what it observed, planned and applied, and a follow-up job that
    /// continues it was enqueued (<see cref="ReconcileResult.Run"/> is its <see cref="RunOutcome.Running"/> record with
    /// the segments so far); delete this message. Not a failure, and no alert.
    /// </summary>
    Continued,
}

/// <summary>The result of <see cref="Reconciler.ReconcileAsync(GitOps.Core.Runs.ReconcileJob, int, System.Threading.CancellationToken)"/>.</summary>
/// <param name="Disposition">What to do with the message.</param>
/// <param name="Run">The run record written; null when deferred for a busy lease, a settling burst or a run between segments, and for a stale follow-up job (a sync-window deferral has one).</param>
public sealed record ReconcileResult(JobDisposition Disposition, RunRecord? Run)
{
    /// <summary>For <see cref="JobDisposition.RetryAfter"/>: the delay the job was re-enqueued with.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
