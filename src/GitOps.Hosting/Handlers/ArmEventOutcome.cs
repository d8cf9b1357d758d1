namespace GitOps.Hosting.Handlers;

/// <summary>What the <c>events</c> function did with one ARM event.</summary>
public enum ArmEventOutcome
{
    /// <summary>Recorded in the inbox of every environment that manages the resource (a drift check is scheduled).</summary>
    Queued,

    /// <summary>The reconciler's own write: dropped.</summary>
    Own,

    /// <summary>No environment manages the resource: counted, nothing else.</summary>
    Unmanaged,

    /// <summary>Malformed or unexpected: recorded in the events poison queue with the reason.</summary>
    Refused,

    /// <summary>Storage failed; the message is retried.</summary>
    Failed,
}

/// <summary>The result of one event.</summary>
/// <param name="Disposition">What the host does with the message.</param>
/// <param name="Outcome">What happened to the event.</param>
/// <param name="Environments">The environment keys whose inbox received it (for <see cref="ArmEventOutcome.Queued"/>).</param>
/// <param name="Problem">Why it was refused, for <see cref="ArmEventOutcome.Refused"/>.</param>
public sealed record ArmEventResult(MessageDisposition Disposition, ArmEventOutcome Outcome, IReadOnlyList<string> Environments, string? Problem = null);
