using GitOps.Core.Apply;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The environment state after a run: a pure function of the previous state, the run record and the apply result,
/// so the same rules hold for the first write and for a merge after losing an ETag race.
/// </summary>
public static class EnvironmentStateUpdate
{
    /// <summary>Computes the new state.</summary>
    /// <param name="previous">The state before the run (or as merged after a lost ETag race).</param>
    /// <param name="run">The run's record.</param>
    /// <param name="applied">What the run applied, or null.</param>
    /// <param name="plan">The run's whole plan; null to read the record's (which lists only what acted since issue 19).</param>
    public static EnvironmentState After(EnvironmentState previous, RunRecord run, ApplyResult? applied, PlanResult? plan = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(run);
        var finished = run.FinishedAt ?? run.StartedAt;
        // A narrowed run (ARM events named a few resources) saw only part of the environment: it applies no commit
        // and does not stand for the drift timer's pending check. A targeted push (AppliesCommit) does apply its commit:
        // what it did not read was declared the same as when it was last applied.
        var narrowed = run.Scope is { AppliesCommit: false };
        var inSync = !narrowed && (run.Outcome is RunOutcome.Applied or RunOutcome.NoChanges
            || (run.Outcome == RunOutcome.DriftDetected && applied is not null && applied.Succeeded));
        var state = previous with
        {
            LastRunId = run.RunId,
            LastOutcome = run.Outcome,
            LastRunAt = finished,
            Inventory = applied?.Inventory ?? previous.Inventory,
            LastApplied = inSync && run.Commit is not null ? run.Commit : previous.LastApplied,
            LastAppliedAt = inSync && run.Commit is not null ? finished : previous.LastAppliedAt,
            DriftPendingSince = run.Trigger == RunTrigger.Drift && !narrowed ? null : previous.DriftPendingSince,
            DriftCorrections = DriftCorrectionsAfter(previous, run, plan),
        };

        return run.Outcome == RunOutcome.Superseded ? state : state with { Conditions = ConditionsAfter(previous, run, finished) };
    }

    // Only drift runs count: a push that changes a resource is git moving, not someone editing Azure by hand.
    private static IReadOnlyDictionary<string, int> DriftCorrectionsAfter(EnvironmentState previous, RunRecord run, PlanResult? whole)
    {
        if (run.Trigger != RunTrigger.Drift || (whole is null && run.Plan is null))
        {
            return previous.DriftCorrections;
        }

        var counts = new Dictionary<string, int>(previous.DriftCorrections, StringComparer.OrdinalIgnoreCase);
        var changes = whole is not null ? whole.Changes.Select(c => (c.Id, c.Action)) : run.Plan!.Changes.Select(c => (c.Id, c.Action));
        foreach (var change in changes)
        {
            switch (change.Action)
            {
                case PlanAction.Noop:
                    counts.Remove(change.Id);
                    break;
                case PlanAction.Update or PlanAction.Create when run.Outcome == RunOutcome.Applied:
                    counts[change.Id] = counts.GetValueOrDefault(change.Id) + 1;
                    break;
            }
        }

        return counts;
    }

    private static IReadOnlyList<Condition> ConditionsAfter(EnvironmentState previous, RunRecord run, DateTimeOffset now)
    {
        var drift = run.Plan?.Summary.Drift ?? 0;
        var (readyStatus, readyReason) = run.Outcome switch
        {
            RunOutcome.Applied or RunOutcome.NoChanges => (ConditionStatus.True, run.Reason ?? Conditions.ReconciliationSucceeded),
            RunOutcome.Suspended => (ConditionStatus.Unknown, run.Reason ?? Conditions.SuspendedByUser),
            RunOutcome.Deferred => (ConditionStatus.Unknown, run.Reason ?? Conditions.SyncWindowClosed),

            // The reason is the one set where the run ended; the fallbacks only serve records written before that.
            _ => (ConditionStatus.False, run.Reason ?? FallbackReason(run.Outcome)),
        };

        // A deferred run observed nothing, so it says nothing about drift: the previous finding stands. Nor can a
        // narrowed run that found none clear drift found elsewhere in the environment.
        var previousDrift = previous.Conditions.FirstOrDefault(c => c.Type == Conditions.Drifted);
        var keptDrift = run.Outcome == RunOutcome.Deferred || (run.Scope is not null && drift == 0 && previousDrift?.Status == ConditionStatus.True)
            ? previousDrift
            : null;
        return
        [
            Transition(previous, Conditions.Ready, readyStatus, readyReason, run.Summary, now),
            keptDrift ?? Transition(
                previous,
                Conditions.Drifted,
                drift > 0 ? ConditionStatus.True : ConditionStatus.False,
                drift > 0 ? Conditions.DriftDetected : Conditions.InSync,
                drift > 0 ? $"{drift} resource(s) differ from git and were not corrected." : "No uncorrected differences.",
                now),
            Transition(
                previous,
                Conditions.Suspended,
                run.Outcome == RunOutcome.Suspended ? ConditionStatus.True : ConditionStatus.False,
                Conditions.SuspendedByUser,
                run.Outcome == RunOutcome.Suspended ? run.Summary : "Not suspended.",
                now),
        ];
    }

    private static string FallbackReason(RunOutcome outcome) => outcome switch
    {
        RunOutcome.DriftDetected => Conditions.DriftDetected,
        RunOutcome.Invalid => Conditions.ValidationFailed,
        RunOutcome.PolicyDenied => Conditions.PolicyDenied,
        RunOutcome.Refused => Conditions.CommitRefused,
        RunOutcome.Interrupted => Conditions.RunInterrupted,
        _ => Conditions.ReconciliationFailed,
    };

    // Since only moves when the status changes, so "failing since" stays true across repeated failures.
    private static Condition Transition(EnvironmentState previous, string type, ConditionStatus status, string reason, string message, DateTimeOffset now)
    {
        var old = previous.Conditions.FirstOrDefault(c => c.Type == type);
        var since = old is not null && old.Status == status ? old.Since : now;
        return new Condition(type, status, reason, message, since);
    }
}
