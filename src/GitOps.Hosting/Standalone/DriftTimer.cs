using GitOps.Hosting.Handlers;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// <c>gitops serve</c>'s drift timer: runs the drift function on its schedule. Several <c>serve</c> processes may all
/// fire; the drift function's ETag-guarded claim makes sure only one enqueues per environment.
/// </summary>
public sealed class DriftTimer(DriftScheduler drift, string schedule, ILogger<DriftTimer> logger, TimeProvider? timeProvider = null)
    : CronTimer("drift", schedule, logger, timeProvider)
{
    /// <inheritdoc />
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var enqueued = await drift.RunAsync(cancellationToken).ConfigureAwait(false);
        if (enqueued.Count > 0)
        {
            logger.LogInformation("Drift timer enqueued {Count} job(s): {Environments}", enqueued.Count, string.Join(", ", enqueued));
        }
    }
}
