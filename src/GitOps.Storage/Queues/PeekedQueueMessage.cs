namespace GitOps.Storage.Queues;

/// <summary>A message seen with Peek Messages: no pop receipt, dequeue count unchanged, visibility untouched.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="DequeueCount">How many times it has been received.</param>
/// <param name="InsertionTime">When it was enqueued.</param>
/// <param name="ExpirationTime">When it expires.</param>
/// <param name="RawText">The <c>MessageText</c> as stored.</param>
/// <param name="Text">The decoded text, or null when it does not decode (see <see cref="QueueMessage.Text"/>).</param>
public sealed record PeekedQueueMessage(
    string MessageId,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    string RawText,
    string? Text);
