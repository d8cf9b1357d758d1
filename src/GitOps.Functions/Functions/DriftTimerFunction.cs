using GitOps.Hosting.Handlers;
using GitOps.Hosting.Settings;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GitOps.Functions.Functions;

/// <summary>The <c>drift</c> timer: enqueues a drift check for every environment whose interval has elapsed.</summary>
/// <param name="scheduler">The drift scheduler.</param>
/// <param name="logger">Log.</param>
internal sealed class DriftTimerFunction(DriftScheduler scheduler, ILogger<DriftTimerFunction> logger)
{
    /// <summary>The schedule's app setting as the host resolves it (a flat name; see <see cref="GitOpsSettings.DriftScheduleSetting"/>).</summary>
    public const string Schedule = "%" + GitOpsSettings.DriftScheduleSetting + "%";

    /// <summary>One tick.</summary>
    /// <param name="timer">The tick (its schedule status does not matter: each environment's state decides what is due).</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    [Function(FunctionNames.Drift)]
    public async Task RunAsync([TimerTrigger(Schedule, RunOnStartup = false, UseMonitor = true)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);

        // A late or repeated tick enqueues nothing twice: the scheduler skips environments with a pending drift job.
        var enqueued = await scheduler.RunAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Drift tick{PastDue}: {Count} environment(s) enqueued {Environments}.", timer.IsPastDue ? " (past due)" : string.Empty, enqueued.Count, string.Join(", ", enqueued));
    }
}
