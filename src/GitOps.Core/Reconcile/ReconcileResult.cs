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
}

/// <summary>The result of <see cref="Reconciler.ReconcileAsync"/>.</summary>
/// <param name="Disposition">What to do with the message.</param>
/// <param name="Run">The run record written; null when deferred.</param>
public sealed record ReconcileResult(JobDisposition Disposition, RunRecord? Run);
