namespace GitOps.Core.Ports;

/// <summary>Who makes the ARM requests of the current flow: what the throttle budget schedules by.</summary>
/// <param name="Priority">Which queue the caller's waiting requests join.</param>
/// <param name="Lane">
/// Whose turn it is within a priority: requests of one lane wait in order, and lanes take turns, so one environment's
/// 500 queued reads do not hold back another's one. The environment key for runs, <c>preview:</c> plus it for previews.
/// </param>
public sealed record ArmCaller(ArmCallPriority Priority, string Lane)
{
    /// <summary>What a request without a caller counts as: manual priority, the unnamed lane.</summary>
    public static ArmCaller Unnamed { get; } = new(ArmCallPriority.Manual, string.Empty);
}
