namespace GitOps.Core.Runs;

/// <summary>The status of a condition.</summary>
public enum ConditionStatus
{
    /// <summary>Not known yet.</summary>
    Unknown,

    /// <summary>The condition holds.</summary>
    True,

    /// <summary>The condition does not hold.</summary>
    False,
}

/// <summary>
/// One observation about an environment (Flux/Kubernetes style): a type, a status, a machine-readable reason and a
/// sentence saying what happened and what comes next.
/// </summary>
/// <param name="Type">A constant from <see cref="Conditions"/>, e.g. <c>Ready</c>.</param>
/// <param name="Status">True, False or Unknown.</param>
/// <param name="Reason">A constant from <see cref="Conditions"/>, e.g. <c>ReconciliationFailed</c>.</param>
/// <param name="Message">What happened and what comes next.</param>
/// <param name="Since">When the status last changed.</param>
public sealed record Condition(string Type, ConditionStatus Status, string Reason, string Message, DateTimeOffset Since);
