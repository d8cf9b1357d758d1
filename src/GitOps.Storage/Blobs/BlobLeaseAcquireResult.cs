using System.Diagnostics.CodeAnalysis;
using Azure.Storage.Blobs.Models;

namespace GitOps.Storage.Blobs;

/// <summary>The outcome of <see cref="BlobLease.TryAcquireAsync"/>: the lease, or the contention that prevented it.</summary>
public sealed class BlobLeaseAcquireResult
{
    private BlobLeaseAcquireResult(BlobLease? lease, BlobErrorCode? contention)
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

    /// <summary>Why not: <see cref="BlobErrorCode.LeaseAlreadyPresent"/> (someone holds it) or <see cref="BlobErrorCode.LeaseIsBrokenAndCannotBeRenewed"/> or <see cref="BlobErrorCode.LeaseIsBreakingAndCannotBeAcquired"/> (it is being broken).</summary>
    public BlobErrorCode? Contention { get; }

    internal static BlobLeaseAcquireResult Held(BlobLease lease) => new(lease, null);

    internal static BlobLeaseAcquireResult Contended(BlobErrorCode contention) => new(null, contention);
}
