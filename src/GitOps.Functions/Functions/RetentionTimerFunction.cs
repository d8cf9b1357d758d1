using GitOps.Hosting.Handlers;
using GitOps.Hosting.Settings;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GitOps.Functions.Functions;

/// <summary>
/// The <c>retention</c> timer: one bounded cleanup pass of old runs and delivery records per tick (the same
/// <see cref="RetentionHandler"/> <c>gitops serve</c>'s retention timer runs). Each pass records what it deleted.
/// </summary>
/// <param name="retention">The cleanup.</param>
/// <param name="logger">Log.</param>
internal sealed class RetentionTimerFunction(RetentionHandler retention, ILogger<RetentionTimerFunction> logger)
{
    /// <summary>The schedule's app setting as the host resolves it (a flat name; see <see cref="GitOpsSettings.RetentionScheduleSetting"/>).</summary>
    public const string Schedule = "%" + GitOpsSettings.RetentionScheduleSetting + "%";

    /// <summary>One tick.</summary>
    /// <param name="timer">The tick (a late one runs one pass like any other: passes are bounded and idempotent).</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    [Function(FunctionNames.Retention)]
    public async Task RunAsync([TimerTrigger(Schedule, RunOnStartup = false, UseMonitor = true)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var summary = await retention.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Retention pass{PastDue}: {Summary}.", timer.IsPastDue ? " (past due)" : string.Empty, summary);
    }
}
