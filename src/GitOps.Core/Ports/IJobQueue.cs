using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>The reconcile queue.</summary>
public interface IJobQueue
{
    /// <summary>Enqueues a job, visible after <paramref name="delay"/> (zero: at once).</summary>
    Task EnqueueAsync(ReconcileJob job, TimeSpan delay = default, CancellationToken cancellationToken = default);

    /// <summary>Enqueues an authenticated push for the fan-out step (see <see cref="PushJob"/>), visible at once.</summary>
    Task EnqueueAsync(PushJob job, CancellationToken cancellationToken = default);
}
