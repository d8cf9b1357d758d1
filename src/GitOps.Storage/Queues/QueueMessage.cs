namespace GitOps.Storage.Queues;

/// <summary>A message received with Get Messages: invisible to others until <see cref="NextVisibleOn"/>.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="PopReceipt">The receipt for delete and update; replaced by every update.</param>
/// <param name="DequeueCount">How many times the message has been received, this time included.</param>
/// <param name="InsertionTime">When it was enqueued.</param>
/// <param name="ExpirationTime">When it expires.</param>
/// <param name="NextVisibleOn">When it becomes visible again unless deleted or updated.</param>
/// <param name="RawText">The <c>MessageText</c> exactly as stored (Base64 under the default encoding).</param>
/// <param name="Text">The decoded text, or null when the raw text is not valid Base64 of UTF-8 under Base64 encoding (the Functions host sends such messages straight to the poison queue).</param>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleOn,
    string RawText,
    string? Text);
