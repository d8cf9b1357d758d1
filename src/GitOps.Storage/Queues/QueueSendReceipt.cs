namespace GitOps.Storage.Queues;

/// <summary>What Put Message returns.</summary>
/// <param name="MessageId">The new message's id.</param>
/// <param name="PopReceipt">A receipt that can update or delete the message until it is received by someone.</param>
/// <param name="InsertionTime">When the message was enqueued.</param>
/// <param name="ExpirationTime">When it expires (year 9999 for an infinite time-to-live).</param>
/// <param name="NextVisibleOn">When it becomes visible to receivers.</param>
public sealed record QueueSendReceipt(
    string MessageId,
    string PopReceipt,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleOn);
