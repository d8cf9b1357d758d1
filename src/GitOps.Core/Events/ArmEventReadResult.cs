namespace GitOps.Core.Events;

/// <summary>What <see cref="ArmEventReader.Read"/> made of a queue message: an event, or why it is not one.</summary>
/// <param name="Event">The event, when the message is a valid one.</param>
/// <param name="Problem">Why it was refused (one sentence naming the field), when it is not.</param>
public sealed record ArmEventReadResult(ArmChangeEvent? Event, string? Problem)
{
    /// <summary>A refusal.</summary>
    public static ArmEventReadResult Refused(string problem) => new(null, problem);
}
