namespace GitOps.Core.Runs;

/// <summary>
/// Condition types and reasons, as constants so tools can match on them. A failed run's reason is chosen where it
/// failed (<see cref="RunRecord.Reason"/>), never guessed afterwards from what the record lacks.
/// </summary>
public static class Conditions
{
    /// <summary>Type: Azure matches the last applied commit.</summary>
    public const string Ready = "Ready";

    /// <summary>Type: Azure differs from git in ways the reconciler did not (or may not) correct.</summary>
    public const string Drifted = "Drifted";

    /// <summary>Type: the environment is suspended.</summary>
    public const string Suspended = "Suspended";

    /// <summary>Reason: the last run applied or confirmed the declared state.</summary>
    public const string ReconciliationSucceeded = "ReconciliationSucceeded";

    /// <summary>Reason: the last run failed to apply some changes (also: a failed run recorded without a reason).</summary>
    public const string ReconciliationFailed = "ReconciliationFailed";

    /// <summary>Reason: the manifests at the commit are invalid.</summary>
    public const string ValidationFailed = "ValidationFailed";

    /// <summary>Reason: a deny policy rule matched.</summary>
    public const string PolicyDenied = "PolicyDenied";

    /// <summary>Reason: the commit could not be fetched.</summary>
    public const string SourceFetchFailed = "SourceFetchFailed";

    /// <summary>Reason: the job's commit is not on the environment's branch, so it was refused.</summary>
    public const string CommitRefused = "CommitRefused";

    /// <summary>Reason: the previous run stopped part-way (its worker died or lost the lease).</summary>
    public const string RunInterrupted = "RunInterrupted";

    /// <summary>Reason: live state could not be read.</summary>
    public const string ObservationFailed = "ObservationFailed";

    /// <summary>Reason: a <c>keyvault('…')</c> secret could not be read.</summary>
    public const string SecretResolutionFailed = "SecretResolutionFailed";

    /// <summary>Reason: the run lost the environment lease and stopped so that another worker can take over.</summary>
    public const string LeaseLost = "LeaseLost";

    /// <summary>Reason: the worker shut down during the run; the job is delivered again.</summary>
    public const string WorkerShutdown = "WorkerShutdown";

    /// <summary>Reason: the run failed with an error the reconciler does not classify (retried by the queue).</summary>
    public const string UnexpectedError = "UnexpectedError";

    /// <summary>Reason: resources were written or observed but are not healthy (provisioningState or a health assertion).</summary>
    public const string HealthCheckFailed = "HealthCheckFailed";

    /// <summary>Reason: the job failed on every delivery and was moved to the poison queue.</summary>
    public const string JobPoisoned = "JobPoisoned";

    /// <summary>Reason: differences found and not corrected.</summary>
    public const string DriftDetected = "DriftDetected";

    /// <summary>Reason: no differences.</summary>
    public const string InSync = "InSync";

    /// <summary>Reason: suspended by a person or in git.</summary>
    public const string SuspendedByUser = "SuspendedByUser";

    /// <summary>Reason: the run was outside the environment's sync windows and deferred to the next opening.</summary>
    public const string SyncWindowClosed = "SyncWindowClosed";

    /// <summary>The reasons that mean the last run failed (Ready False because something went wrong, not drift or suspension).</summary>
    public static IReadOnlySet<string> FailureReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ReconciliationFailed,
        ValidationFailed,
        PolicyDenied,
        SourceFetchFailed,
        CommitRefused,
        RunInterrupted,
        ObservationFailed,
        SecretResolutionFailed,
        LeaseLost,
        WorkerShutdown,
        UnexpectedError,
        JobPoisoned,
        HealthCheckFailed,
    };
}
