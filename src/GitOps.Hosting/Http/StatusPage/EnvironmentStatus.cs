using GitOps.Core.Runs;

namespace GitOps.Hosting.Http.StatusPage;

/// <summary>The one-word state of an environment the status page shows.</summary>
public enum EnvironmentStatus
{
    /// <summary>Never reconciled, or the last run says nothing conclusive (e.g. superseded only).</summary>
    Unknown,

    /// <summary>Ready is True: Azure matches the last applied commit.</summary>
    InSync,

    /// <summary>Drifted is True, or the last run detected drift it did not correct.</summary>
    Drifted,

    /// <summary>Ready is False for a failure reason (apply, validation, policy, fetch or observation failed).</summary>
    Failing,

    /// <summary>Suspended through the api, or the last run found the environment suspended in git.</summary>
    Suspended,

    /// <summary>A drift job is queued and has not recorded its run yet.</summary>
    Reconciling,
}

/// <summary>
/// Derives <see cref="EnvironmentStatus"/> from the stored state alone, so the page costs one read per environment.
/// First match wins: suspended (a runtime suspension, or the last outcome Suspended / condition Suspended True),
/// reconciling (<see cref="EnvironmentState.DriftPendingSince"/> set: a job is queued or running; the run lease is
/// not read because that would cost a blob call per environment and only covers the seconds a run takes),
/// failing (Ready False with a failure reason, or a problem outcome), drifted (Drifted True or outcome
/// DriftDetected), in sync (Ready True), otherwise unknown.
/// </summary>
public static class EnvironmentStatusRules
{
    /// <summary>The state of one environment.</summary>
    /// <param name="state">The stored environment state.</param>
    public static EnvironmentStatus Of(EnvironmentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var ready = Find(state, Conditions.Ready);
        if (state.Suspension is not null || state.LastOutcome == RunOutcome.Suspended || Find(state, Conditions.Suspended)?.Status == ConditionStatus.True)
        {
            return EnvironmentStatus.Suspended;
        }

        if (state.DriftPendingSince is not null)
        {
            return EnvironmentStatus.Reconciling;
        }

        if ((ready?.Status == ConditionStatus.False && Conditions.FailureReasons.Contains(ready.Reason)) || state.LastOutcome?.IsProblem() == true)
        {
            return EnvironmentStatus.Failing;
        }

        if (Find(state, Conditions.Drifted)?.Status == ConditionStatus.True || state.LastOutcome == RunOutcome.DriftDetected)
        {
            return EnvironmentStatus.Drifted;
        }

        return ready?.Status == ConditionStatus.True ? EnvironmentStatus.InSync : EnvironmentStatus.Unknown;
    }

    /// <summary>The label the page shows, e.g. "in sync".</summary>
    /// <param name="status">The state.</param>
    public static string Label(this EnvironmentStatus status) => status switch
    {
        EnvironmentStatus.InSync => "in sync",
        EnvironmentStatus.Drifted => "drifted",
        EnvironmentStatus.Failing => "failing",
        EnvironmentStatus.Suspended => "suspended",
        EnvironmentStatus.Reconciling => "reconciling",
        _ => "unknown",
    };

    /// <summary>The CSS class suffix (and <c>data-state</c> value), e.g. "in-sync".</summary>
    /// <param name="status">The state.</param>
    public static string Slug(this EnvironmentStatus status) => status.Label().Replace(' ', '-');

    private static Condition? Find(EnvironmentState state, string type) => state.Conditions.FirstOrDefault(c => c.Type == type);
}
