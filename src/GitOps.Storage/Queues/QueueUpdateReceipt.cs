namespace GitOps.Storage.Queues;

/// <summary>What Update Message returns: the old pop receipt is no longer valid, use <see cref="PopReceipt"/>.</summary>
/// <param name="PopReceipt">The new pop receipt.</param>
/// <param name="NextVisibleOn">When the message becomes visible again.</param>
public sealed record QueueUpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);
