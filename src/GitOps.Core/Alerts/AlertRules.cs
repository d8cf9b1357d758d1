using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Alerts;

/// <summary>
/// Which alerts a run raises. Pure: the same state and run always give the same alerts. Alerts fire on transitions,
/// not on every run, so a failing environment retried by the queue or checked by the drift timer every few minutes
/// does not flood a channel: a failure alerts when <c>Ready</c> turns False or its reason changes, drift alerts when
/// <c>Drifted</c> turns True.
/// </summary>
public static class AlertRules
{
    /// <summary>The most detail lines an alert carries; the run record has the rest.</summary>
    public const int MaxDetails = 10;

    /// <summary>Consecutive corrected drift runs on one resource that raise <see cref="AlertKind.DriftRecurring"/>.</summary>
    public const int RecurringDriftRuns = 3;

    /// <summary>The alerts raised by a run, given the environment state before it.</summary>
    /// <param name="previous">The state before the run (a new state for an environment never reconciled).</param>
    /// <param name="run">The recorded run.</param>
    public static IReadOnlyList<Alert> Evaluate(EnvironmentState previous, RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Outcome == RunOutcome.Superseded)
        {
            return [];
        }

        var next = EnvironmentStateUpdate.After(previous, run, applied: null);
        var alerts = new List<Alert>();
        if (run.Outcome == RunOutcome.Refused)
        {
            alerts.Add(FromRun(AlertKind.CommitRefused, run, $"{run.EnvironmentKey}: {run.Summary}", run.Errors));
            return alerts;
        }

        if (run.Window is { OverriddenBy: { } by, OverrideReason: { } why })
        {
            alerts.Add(FromRun(AlertKind.SyncWindowOverridden, run, $"{run.EnvironmentKey}: {by} overrode the sync window ({run.Window.Detail}): {why}", [$"Outcome: {run.Outcome}"]));
        }

        var readyBefore = Find(previous, Conditions.Ready);
        var readyAfter = Find(next, Conditions.Ready);
        if (run.Outcome.IsProblem()
            && readyAfter is { Status: ConditionStatus.False }
            && (readyBefore is null || readyBefore.Status != ConditionStatus.False || readyBefore.Reason != readyAfter.Reason))
        {
            alerts.Add(run.Outcome == RunOutcome.Unhealthy
                ? FromRun(AlertKind.ResourceUnhealthy, run, $"{run.EnvironmentKey}: {run.Summary}", (run.Health ?? []).Where(h => h.Status == HealthStatus.Unhealthy).Select(h => $"{h.Id}: {h.Detail}"))
                : FromRun(AlertKind.RunFailed, run, $"{run.EnvironmentKey}: run {run.Outcome}. {run.Summary}", run.Errors));
        }

        var driftBefore = Find(previous, Conditions.Drifted);
        var driftAfter = Find(next, Conditions.Drifted);
        if (run.Outcome == RunOutcome.DriftDetected
            && driftAfter is { Status: ConditionStatus.True }
            && driftBefore?.Status != ConditionStatus.True)
        {
            alerts.Add(FromRun(AlertKind.DriftDetected, run, $"{run.EnvironmentKey}: drift found and not corrected. {run.Summary}", DriftDetails(run.Plan)));
        }

        var recurring = next.DriftCorrections
            .Where(c => c.Value == RecurringDriftRuns && previous.DriftCorrections.GetValueOrDefault(c.Key) < RecurringDriftRuns)
            .Select(c => c.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (recurring.Count > 0)
        {
            alerts.Add(FromRun(
                AlertKind.DriftRecurring,
                run,
                $"{run.EnvironmentKey}: {recurring.Count} resource(s) were changed outside git and corrected {RecurringDriftRuns} drift checks in a row; someone or something keeps changing them. Find who (the Activity Log) and change git instead, or stop the other writer.",
                recurring));
        }

        return alerts;
    }

    /// <summary>The alert for a job given up on and recorded as a failed run by the poison function.</summary>
    /// <param name="run">The run the poison function recorded.</param>
    public static Alert Poisoned(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return FromRun(AlertKind.JobPoisoned, run, $"{run.EnvironmentKey}: {run.Summary}", run.Errors);
    }

    /// <summary>
    /// The alert for a suspension past its planned <c>until</c>, once per suspension: null when there is none,
    /// it has not ended, or it was already alerted (<see cref="EnvironmentState.SuspensionOverdueAlertedAt"/> at or
    /// after its end). The caller records the alert time in the state.
    /// </summary>
    /// <param name="state">The environment state.</param>
    /// <param name="suspension">The suspension in force: <c>suspended:</c> in gitops.yaml, else the state's emergency one (the reconciler's precedence).</param>
    /// <param name="now">The time now.</param>
    public static Alert? SuspensionOverdue(EnvironmentState state, Suspension? suspension, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (suspension is not { Until: { } until } || until > now)
        {
            return null;
        }

        if (state.SuspensionOverdueAlertedAt is { } alerted && alerted >= until)
        {
            return null;
        }

        return new Alert
        {
            Kind = AlertKind.SuspensionOverdue,
            Environment = state.EnvironmentKey,
            RunId = state.LastRunId,
            Commit = state.LastApplied?.Sha,
            Summary = $"{state.EnvironmentKey} is still suspended, past its planned end {until:u}; changes in git and drift are not applied. Resume it (remove or extend 'suspended:' in gitops.yaml, or end the emergency suspension) if the reason is over.",
            Details = [$"Reason: {suspension.Reason}", $"Suspended by: {suspension.By}"],
            Time = now,
        };
    }

    private static Alert FromRun(AlertKind kind, RunRecord run, string summary, IEnumerable<string> details) => new()
    {
        Kind = kind,
        Environment = run.EnvironmentKey,
        RunId = run.RunId,
        Commit = run.Commit?.Sha ?? run.RequestedCommit,
        Summary = summary,
        Details = details.Take(MaxDetails).ToList(),
        Time = run.FinishedAt ?? run.StartedAt,
        ChangedBy = RunSummary.ChangedByOf(run),
    };

    private static Condition? Find(EnvironmentState state, string type) =>
        state.Conditions.FirstOrDefault(c => c.Type == type);

    // Resource ids and property paths only: the diff values may be secrets (redacted or not, they never go out).
    private static IEnumerable<string> DriftDetails(RecordedPlan? plan) =>
        (plan?.Changes ?? [])
            .Where(c => c.Action == PlanAction.Drift)
            .Select(c => $"{c.Id}: {string.Join(", ", c.Diffs.Select(d => d.Path).Where(p => p.Length > 0))}");
}
