namespace GitOps.Arm;

/// <summary>How the poller treats a <c>provisioningState</c> or operation <c>status</c> value.</summary>
internal enum ArmStateKind
{
    /// <summary>Succeeded, or no state at all (ARM: an operation without provisioningState is finished).</summary>
    Succeeded,

    /// <summary>Failed.</summary>
    Failed,

    /// <summary>Canceled (or Cancelled).</summary>
    Canceled,

    /// <summary>Still working: Accepted, Creating, Updating, InProgress, anything ending in -ing, and the like.</summary>
    InProgress,

    /// <summary>
    /// Not terminal by ARM's contract, but a state some RPs settle in (Service Bus <c>Created</c>): waited on for
    /// <see cref="ArmResourceClientOptions.NonStandardStateTimeout"/> at most, then confirmed with a GET.
    /// </summary>
    NonStandard,
}

/// <summary>Classifies provisioning states (RPC: only Succeeded, Failed and Canceled are terminal).</summary>
internal static class ArmProvisioningState
{
    private static readonly HashSet<string> Working = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accepted", "Pending", "NotStarted", "Queued", "Waiting",
    };

    public static ArmStateKind Classify(string? state)
    {
        if (string.IsNullOrWhiteSpace(state) || state.Equals("Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            return ArmStateKind.Succeeded;
        }

        if (state.Equals("Failed", StringComparison.OrdinalIgnoreCase))
        {
            return ArmStateKind.Failed;
        }

        if (state.Equals("Canceled", StringComparison.OrdinalIgnoreCase) || state.Equals("Cancelled", StringComparison.OrdinalIgnoreCase))
        {
            return ArmStateKind.Canceled;
        }

        // RPs name transitional states as progressives (Creating, Provisioning, Deleting, Scaling, Upgrading...)
        // or ...InProgress; the rest of the working states are a short list.
        return state.EndsWith("ing", StringComparison.OrdinalIgnoreCase)
            || state.Contains("InProgress", StringComparison.OrdinalIgnoreCase)
            || Working.Contains(state)
            ? ArmStateKind.InProgress
            : ArmStateKind.NonStandard;
    }
}
