using GitOps.Core.Alerts;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Alerts;

/// <summary>
/// Glue between the functions and the sinks: evaluates <see cref="AlertRules"/> for a recorded run, dispatches, and
/// records how each sink fared on the run record (re-saved by run id). Never throws into the function: a run's
/// outcome and its queue message never depend on a sink or on recording a delivery.
/// </summary>
/// <param name="dispatcher">Sends to the sinks.</param>
/// <param name="runs">Run records (deliveries are added to the run).</param>
/// <param name="states">Environment state (the once-per-suspension overdue mark).</param>
/// <param name="source">Reads gitops.yaml at a suspended run's commit, for the <c>until</c> of its <c>suspended:</c>.</param>
/// <param name="logger">Log.</param>
/// <param name="timeProvider">Clock.</param>
public sealed class AlertNotifier(AlertDispatcher dispatcher, IRunStore runs, IEnvironmentStateStore states, IConfigSource source, ILogger<AlertNotifier> logger, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Alerts for a reconcile run: failure, drift, and an overdue suspension of its environment.</summary>
    /// <param name="previous">The environment state read before the run.</param>
    /// <param name="run">The recorded run.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    /// <returns>The run as recorded after the deliveries were added (the same run when nothing was sent).</returns>
    public async Task<RunRecord> AfterRunAsync(EnvironmentState previous, RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(run);
        if (!dispatcher.HasSinks)
        {
            return run;
        }

        var alerts = AlertRules.Evaluate(previous, run).ToList();
        try
        {
            if (await ClaimOverdueAsync(run, cancellationToken).ConfigureAwait(false) is { } overdue)
            {
                alerts.Add(overdue);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning("Checking {Environment} for an overdue suspension failed: {Reason}", run.EnvironmentKey, error.Message);
        }

        return await SendAndRecordAsync(run, alerts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The alert for a job the poison function recorded as a failed run.</summary>
    /// <param name="run">The poison run.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public Task<RunRecord> AfterPoisonAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return dispatcher.HasSinks ? SendAndRecordAsync(run, [AlertRules.Poisoned(run)], cancellationToken) : Task.FromResult(run);
    }

    // Marks the suspension as alerted before sending (ETag-guarded), so two workers never both alert it; losing the
    // race means the other one sends.
    private async Task<Alert?> ClaimOverdueAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (run.Outcome != RunOutcome.Suspended)
        {
            return null;
        }

        var stored = await states.GetAsync(run.EnvironmentKey, cancellationToken).ConfigureAwait(false);
        if (stored is not { } current)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var alert = AlertRules.SuspensionOverdue(current.State, await GitSuspensionAsync(run, cancellationToken).ConfigureAwait(false) ?? current.State.Suspension, now);
        if (alert is null)
        {
            return null;
        }

        try
        {
            await states.SaveAsync(current.State with { SuspensionOverdueAlertedAt = now }, current.ETag, cancellationToken).ConfigureAwait(false);
            return alert;
        }
        catch (ConcurrencyConflictException)
        {
            return null;
        }
    }

    // Only suspended runs get here, so reading gitops.yaml again (from the local mirror) is rare.
    private async Task<Suspension?> GitSuspensionAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (run.Commit is null)
        {
            return null;
        }

        var root = await source.ReadAsync(run.Repository, run.Commit.Sha, folder: null, cancellationToken).ConfigureAwait(false);
        var config = new ManifestLoader().LoadConfig(root);
        return config.Environments.FirstOrDefault(e => string.Equals(e.Name, run.Environment, StringComparison.Ordinal))?.Suspended;
    }

    private async Task<RunRecord> SendAndRecordAsync(RunRecord run, IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        if (alerts.Count == 0)
        {
            return run;
        }

        var deliveries = await dispatcher.SendAsync(alerts, cancellationToken).ConfigureAwait(false);
        if (deliveries.Count == 0)
        {
            return run;
        }

        var recorded = run with { Notifications = [.. run.Notifications, .. deliveries] };
        try
        {
            await runs.SaveAsync(recorded, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            logger.LogWarning("Recording the alert deliveries of run {RunId} failed: {Reason}", run.RunId, error.Message);
        }

        return recorded;
    }
}
