namespace GitOps.Core.Runs;

/// <summary>Condition types and reasons, as constants so tools can match on them.</summary>
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

    /// <summary>Reason: the last run failed to apply some changes.</summary>
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

    /// <summary>Reason: differences found and not corrected.</summary>
    public const string DriftDetected = "DriftDetected";

    /// <summary>Reason: no differences.</summary>
    public const string InSync = "InSync";

    /// <summary>Reason: suspended by a person or in git.</summary>
    public const string SuspendedByUser = "SuspendedByUser";
}
