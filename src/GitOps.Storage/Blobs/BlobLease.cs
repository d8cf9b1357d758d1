using System.Globalization;

namespace GitOps.Storage.Blobs;

/// <summary>
/// A held blob lease (for example on <c>environments/&lt;env&gt;/lock</c>) that renews itself in the background while
/// work runs and is released on dispose. If renewal fails for good (the lease was broken, lost or expired),
/// <see cref="LeaseLost"/> is cancelled so the work can stop before it writes without the lock.
/// </summary>
public sealed class BlobLease : IAsyncDisposable
{
    private readonly StorageBlobClient _blobs;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewLoop;
    private long _lastRenewedTicks;
    private int _renewalCount;
    private Exception? _lossReason;
    private int _finished;

    private BlobLease(StorageBlobClient blobs, string blobName, string leaseId, TimeSpan duration, TimeSpan? renewInterval, TimeProvider timeProvider)
    {
        _blobs = blobs;
        _timeProvider = timeProvider;
        BlobName = blobName;
        LeaseId = leaseId;
        Duration = duration;
        _lastRenewedTicks = timeProvider.GetUtcNow().UtcTicks;
        _renewLoop = duration == StorageBlobClient.InfiniteLeaseDuration
            ? Task.CompletedTask
            : Task.Run(() => RenewLoopAsync(renewInterval ?? duration / 3, _stop.Token));
    }

    /// <summary>The leased blob.</summary>
    public string BlobName { get; }

    /// <summary>The lease id: pass it to writes of the leased blob (<see cref="BlobRequestConditions.WithLease"/>).</summary>
    public string LeaseId { get; }

    /// <summary>The lease duration.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Cancelled when the lease is lost (broken, taken over, or not renewable before expiry). Link the work's token to it.</summary>
    public CancellationToken LeaseLost => _lost.Token;

    /// <summary>True once the lease is known to be lost.</summary>
    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Why the lease was lost, when it was.</summary>
    public Exception? LossReason => Volatile.Read(ref _lossReason);

    /// <summary>How many renewals succeeded.</summary>
    public int RenewalCount => Volatile.Read(ref _renewalCount);

    /// <summary>When the lease was last acquired or renewed.</summary>
    public DateTimeOffset LastRenewedOn => new(Interlocked.Read(ref _lastRenewedTicks), TimeSpan.Zero);

    /// <summary>
    /// Tries to acquire the lease on <paramref name="blobName"/>, creating the empty lock blob (create-only) if it is missing.
    /// Contention is a result, not an exception.
    /// </summary>
    /// <param name="blobs">The container client.</param>
    /// <param name="blobName">The lock blob, for example <c>environments/prod/lock</c>.</param>
    /// <param name="options">Duration, renew interval, proposed id, clock.</param>
    /// <param name="cancellationToken">Cancels the acquisition (not the held lease).</param>
    /// <returns>The lease, or why it is held elsewhere.</returns>
    public static async Task<BlobLeaseAcquireResult> TryAcquireAsync(
        StorageBlobClient blobs,
        string blobName,
        BlobLeaseOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        options ??= new BlobLeaseOptions();
        if (options.RenewInterval is { } interval && (interval <= TimeSpan.Zero || (options.Duration != StorageBlobClient.InfiniteLeaseDuration && interval >= options.Duration)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), interval, "The renew interval must be positive and shorter than the lease duration.");
        }

        // Always propose an id: acquiring again with the same id succeeds, so a retry after a lost response
        // (the first attempt won) does not misreport our own lease as contention.
        string proposedLeaseId = options.ProposedLeaseId ?? Guid.NewGuid().ToString();
        try
        {
            string leaseId;
            try
            {
                leaseId = await blobs.AcquireLeaseAsync(blobName, options.Duration, proposedLeaseId, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageRequestException ex) when (ex.Status == 404 && ex.ErrorCode == StorageErrorCodes.BlobNotFound && options.CreateBlobIfMissing)
            {
                await CreateLockBlobAsync(blobs, blobName, cancellationToken).ConfigureAwait(false);
                leaseId = await blobs.AcquireLeaseAsync(blobName, options.Duration, proposedLeaseId, cancellationToken).ConfigureAwait(false);
            }

            return BlobLeaseAcquireResult.Held(new BlobLease(blobs, blobName, leaseId, options.Duration, options.RenewInterval, options.TimeProvider));
        }
        catch (StorageConditionFailedException ex) when (ex.Condition is StorageConditionFailure.LeaseAlreadyPresent or StorageConditionFailure.LeaseBroken)
        {
            return BlobLeaseAcquireResult.Contended(ex.Condition);
        }
    }

    /// <summary>Breaks whatever lease <paramref name="blobName"/> has (an operator's unlock); the holder sees <see cref="LeaseLost"/> at its next renewal.</summary>
    /// <param name="blobs">The container client.</param>
    /// <param name="blobName">The lock blob.</param>
    /// <param name="breakPeriod">0 to 60 seconds; null lets a finite lease run out first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The time until the lease is broken.</returns>
    public static Task<TimeSpan> BreakAsync(StorageBlobClient blobs, string blobName, TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        return blobs.BreakLeaseAsync(blobName, breakPeriod, cancellationToken);
    }

    /// <summary>Renews now, outside the background schedule.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StorageConditionFailedException">The lease is lost; <see cref="LeaseLost"/> is cancelled too.</exception>
    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _blobs.RenewLeaseAsync(BlobName, LeaseId, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastRenewedTicks, _timeProvider.GetUtcNow().UtcTicks);
            Interlocked.Increment(ref _renewalCount);
        }
        catch (StorageRequestException ex) when (IsDefinitiveLoss(ex))
        {
            MarkLost(ex);
            throw;
        }
    }

    /// <summary>Stops renewing and releases the lease so the next acquirer gets it at once.</summary>
    /// <param name="cancellationToken">Cancels the release call.</param>
    /// <exception cref="StorageRequestException">The release failed for a reason other than the lease being already gone.</exception>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return;
        }

        await StopRenewingAsync().ConfigureAwait(false);
        if (IsLost)
        {
            return;
        }

        try
        {
            await _blobs.ReleaseLeaseAsync(BlobName, LeaseId, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageRequestException ex) when (IsDefinitiveLoss(ex))
        {
            // Someone broke or took it meanwhile: nothing is left to release.
        }
    }

    /// <summary>Stops renewing and releases the lease; a failed release is left to expire rather than thrown from dispose.</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException)
        {
            // The lease expires on its own within Duration; dispose must not mask the work's own exception.
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"BlobLease({BlobName}, duration {Duration.TotalSeconds:0}s, {(IsLost ? "lost" : "held")})");

    private static async Task CreateLockBlobAsync(StorageBlobClient blobs, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            await blobs.UploadAsync(blobName, BinaryData.Empty, "application/octet-stream", BlobRequestConditions.CreateOnly(), cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConditionFailedException)
        {
            // Another acquirer created it first (or it is already leased): either way it exists now.
        }
    }

    private static bool IsDefinitiveLoss(StorageRequestException ex) =>
        ex is StorageConditionFailedException || ex.Status == 404;

    private async Task RenewLoopAsync(TimeSpan interval, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _timeProvider, stop).ConfigureAwait(false);
                await RenewAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (StorageRequestException ex) when (IsDefinitiveLoss(ex))
            {
                return;
            }
            catch (Exception ex)
            {
                // Transient (network, 5xx after the pipeline's retries, a timeout): keep trying until the lease would have expired.
                if (_timeProvider.GetUtcNow() - LastRenewedOn >= Duration)
                {
                    MarkLost(ex);
                    return;
                }
            }
        }
    }

    private void MarkLost(Exception reason)
    {
        Interlocked.CompareExchange(ref _lossReason, reason, null);
        try
        {
            _lost.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered by the work threw; the loss is recorded regardless.
        }
    }

    private async Task StopRenewingAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewLoop.ConfigureAwait(false);
    }
}
