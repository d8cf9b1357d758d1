using System.Collections.Concurrent;

namespace GitOps.Git.Webhooks;

/// <summary>An <see cref="IDeliveryLog"/> in memory, for tests and single-process local runs. Thread-safe.</summary>
public sealed class InMemoryDeliveryLog : IDeliveryLog
{
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    /// <summary>How many deliveries were recorded.</summary>
    public int Count => _seen.Count;

    /// <inheritdoc />
    public Task<bool> TryRecordAsync(string provider, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_seen.TryAdd(provider + "/" + deliveryId, 0));
    }
}
