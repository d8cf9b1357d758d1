using GitOps.Git.Webhooks;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The replay-protection log with an undo: a delivery whose jobs could not be enqueued is forgotten again, so the
/// git host's retry of the same delivery id is processed instead of being answered as a duplicate (and lost).
/// </summary>
public interface IDeliveryLedger : IDeliveryLog
{
    /// <summary>Forgets a recorded delivery.</summary>
    Task ForgetAsync(string provider, string deliveryId, CancellationToken cancellationToken = default);
}
