using GitOps.Core.Ports;
using Azure.Storage.Blobs;
using GitOps.Storage.Blobs;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// One reconcile at a time per environment, across workers: a blob lease on
/// <c>environments/&lt;repository&gt;/&lt;environment&gt;/lock</c> (the empty lock blob is created on first use), renewed in
/// the background while the run works. A worker that dies stops renewing, so its lease expires within the duration.
/// </summary>
public sealed class BlobEnvironmentLock : IEnvironmentLock
{
    /// <summary>The default lease duration: the longest finite lease, so a stalled renewal has the most time to recover.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = BlobLease.MaxDuration;

    private readonly BlobContainerClient _blobs;
    private readonly TimeSpan _duration;
    private readonly TimeSpan? _renewInterval;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the lock over the reconciler's container (which must exist; see <see cref="GitOpsStorage"/>).</summary>
    /// <param name="blobs">The container client.</param>
    /// <param name="leaseDuration">15 to 60 whole seconds; <see cref="DefaultLeaseDuration"/> (60 s) when null.</param>
    /// <param name="renewInterval">How often the lease is renewed; a third of the duration when null.</param>
    /// <param name="timeProvider">The clock for renewals.</param>
    public BlobEnvironmentLock(BlobContainerClient blobs, TimeSpan? leaseDuration = null, TimeSpan? renewInterval = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        var duration = leaseDuration ?? DefaultLeaseDuration;
        if (duration < BlobLease.MinDuration || duration > BlobLease.MaxDuration || duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            // An infinite lease would never expire after a crash and lock the environment until someone breaks it.
            throw new ArgumentOutOfRangeException(nameof(leaseDuration), duration, "An environment lease lasts 15 to 60 whole seconds.");
        }

        if (renewInterval is { } interval && (interval <= TimeSpan.Zero || interval >= duration))
        {
            throw new ArgumentOutOfRangeException(nameof(renewInterval), interval, "The renew interval must be positive and shorter than the lease duration.");
        }

        _blobs = blobs;
        _duration = duration;
        _renewInterval = renewInterval;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is not <c>repository/environment</c>.</exception>
    public async Task<IEnvironmentLease?> TryAcquireAsync(string environmentKey, CancellationToken cancellationToken = default)
    {
        StorageLayout.ValidateEnvironmentKey(environmentKey, nameof(environmentKey));
        var result = await BlobLease.TryAcquireAsync(
            _blobs,
            StorageLayout.LockBlob(environmentKey),
            new BlobLeaseOptions { Duration = _duration, RenewInterval = _renewInterval, TimeProvider = _timeProvider },
            cancellationToken).ConfigureAwait(false);
        return result.Acquired ? new BlobEnvironmentLease(result.Lease) : null;
    }
}
