namespace GitOps.Core.Ports;

/// <summary>
/// Whose ARM request goes first when a subscription's budget is short. The order of the members is the order of
/// service: a push (someone waits for their change) before a manual run (someone asked), before a drift sweep (nobody
/// waits; it only has to finish eventually).
/// </summary>
public enum ArmCallPriority
{
    /// <summary>A push or a rollback: a person waits for the change to reach Azure.</summary>
    Push,

    /// <summary>A manual sync, a retry, a preview, or a caller that did not say.</summary>
    Manual,

    /// <summary>A drift check, from the timer or from ARM events.</summary>
    Drift,
}
