namespace GitOps.Core.Alerts;

/// <summary>What an alert is about. Sinks may be filtered to a subset.</summary>
public enum AlertKind
{
    /// <summary>A run failed (failed apply, invalid manifests, denied by policy) and the environment just turned unready, or failed for a new reason.</summary>
    RunFailed,

    /// <summary>A run in drift mode <c>detect</c> (or on <c>observe</c> resources) found differences it did not correct.</summary>
    DriftDetected,

    /// <summary>Drift on the same resource was corrected by <see cref="AlertRules.RecurringDriftRuns"/> drift runs in a row: someone keeps changing it by hand.</summary>
    DriftRecurring,

    /// <summary>A job failed on every delivery and was moved to the poison queue.</summary>
    JobPoisoned,

    /// <summary>An emergency suspension is still in force after its planned end.</summary>
    SuspensionOverdue,

    /// <summary>
    /// A job asked for a commit that is not on the environment's branch and was refused. Sent for every refusal, not
    /// only on transitions: it is what an attempt to get an unreviewed commit applied looks like.
    /// </summary>
    CommitRefused,

    /// <summary>
    /// A manual sync or rollback ran outside its sync windows with <c>--override-window</c>. Sent for every override:
    /// anyone who can write to the queue can ask for one, so each must be seen (who and why are in the alert).
    /// </summary>
    SyncWindowOverridden,

    /// <summary>
    /// A run ended <see cref="Runs.RunOutcome.Unhealthy"/> and the environment just turned unready (or for a new
    /// reason): a written resource did not become healthy, or one turned <c>Failed</c> between runs.
    /// </summary>
    ResourceUnhealthy,
}
