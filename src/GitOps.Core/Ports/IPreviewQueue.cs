using GitOps.Core.Previews;

namespace GitOps.Core.Ports;

/// <summary>The reconcile queue, for the pull-request preview kinds (<see cref="PreviewJobJson"/>).</summary>
public interface IPreviewQueue
{
    /// <summary>Enqueues an authenticated pull-request event for its fan-out step, visible at once.</summary>
    Task EnqueueAsync(PullRequestJob job, CancellationToken cancellationToken = default);

    /// <summary>Enqueues the preview of one environment, visible at once.</summary>
    Task EnqueueAsync(PreviewJob job, CancellationToken cancellationToken = default);
}
