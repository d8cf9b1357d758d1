using GitOps.Core.Ports;
using GitOps.Storage.Blobs;

namespace GitOps.Storage.Reconcile;

/// <summary>A held environment lock: the <see cref="BlobLease"/> underneath, seen through the Core port.</summary>
public sealed class BlobEnvironmentLease : IEnvironmentLease
{
    internal BlobEnvironmentLease(BlobLease lease) => Lease = lease;

    /// <summary>The blob lease (its id, renewal count and loss reason, for diagnostics).</summary>
    public BlobLease Lease { get; }

    /// <inheritdoc />
    public CancellationToken Lost => Lease.LeaseLost;

    /// <summary>Stops renewing and releases the lease, so a waiting job can run at once.</summary>
    /// <returns>A task that completes when released (a failed release is left to expire).</returns>
    public ValueTask DisposeAsync() => Lease.DisposeAsync();
}
