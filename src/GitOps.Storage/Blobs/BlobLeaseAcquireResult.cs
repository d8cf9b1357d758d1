using System.Diagnostics.CodeAnalysis;

namespace GitOps.Storage.Blobs;

/// <summary>The outcome of <see cref="BlobLease.TryAcquireAsync"/>: the lease, or the contention that prevented it.</summary>
public sealed class BlobLeaseAcquireResult
{
    private BlobLeaseAcquireResult(BlobLease? lease, StorageConditionFailure? contention)
    {
        Lease = lease;
        Contention = contention;
    }

    /// <summary>True when this caller now holds the lease.</summary>
    [MemberNotNullWhen(true, nameof(Lease))]
    [MemberNotNullWhen(false, nameof(Contention))]
    public bool Acquired => Lease is not null;

    /// <summary>The held lease; dispose it to stop renewing and release.</summary>
    public BlobLease? Lease { get; }

    /// <summary>Why not: <see cref="StorageConditionFailure.LeaseAlreadyPresent"/> (someone holds it) or <see cref="StorageConditionFailure.LeaseBroken"/> (it is being broken).</summary>
    public StorageConditionFailure? Contention { get; }

    internal static BlobLeaseAcquireResult Held(BlobLease lease) => new(lease, null);

    internal static BlobLeaseAcquireResult Contended(StorageConditionFailure contention) => new(null, contention);
}
