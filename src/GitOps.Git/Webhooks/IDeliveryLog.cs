namespace GitOps.Git.Webhooks;

/// <summary>Remembers delivery ids so a captured delivery cannot be replayed (in Azure: a create-only blob per delivery).</summary>
public interface IDeliveryLog
{
    /// <summary>Records a delivery; false when it was already recorded (a replay or a redelivery).</summary>
    Task<bool> TryRecordAsync(string provider, string deliveryId, CancellationToken cancellationToken);
}
