namespace GitOps.ArmSimulator.Events;

/// <summary>One event the simulator raised, and what became of its delivery.</summary>
/// <param name="Id">The event id.</param>
/// <param name="Kind">Write or delete.</param>
/// <param name="ResourceId">The event's subject: the resource id.</param>
/// <param name="SubscriptionId">The subscription the event belongs to.</param>
/// <param name="EventTime">When it was raised (the simulator's clock).</param>
/// <param name="Caller">Who made the change: the UPN, else the app id from the caller's claims.</param>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="QueueName">Where it went, or null when no destination was configured for the subscription.</param>
/// <param name="Delivered">True once the queue accepted the message.</param>
/// <param name="Error">Why the delivery failed, when it did.</param>
public sealed record ArmPublishedEvent(
    string Id,
    ArmEventKind Kind,
    string ResourceId,
    string SubscriptionId,
    DateTimeOffset EventTime,
    string Caller,
    string CorrelationId,
    string? QueueName,
    bool Delivered,
    string? Error);
