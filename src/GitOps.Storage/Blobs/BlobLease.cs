using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace GitOps.Storage.Blobs;

/// <summary>
/// A held blob lease (<see cref="BlobLeaseClient"/>) renewed in the background until it is released, with a token
/// that fires when the lease is lost (broken, taken, or not renewable before it would have expired).
/// </summary>
/// <remarks>
/// The renewal loop is the one piece of lease logic the SDK does not have. A transient renewal failure is retried at
/// the next interval until <see cref="Duration"/> has passed since the last successful renewal: after that the
/// service may already have given the lease to someone else, so the work must stop (<see cref="LeaseLost"/>).
/// </remarks>
public sealed class BlobLease : IAsyncDisposable
{
    /// <summary>The shortest finite lease the service grants.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(15);

    /// <summary>The longest finite lease the service grants.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    /// <summary>An infinite lease (never renewed; never expires after a crash, so the stores do not use it).</summary>
    public static readonly TimeSpan InfiniteDuration = TimeSpan.FromSeconds(-1);

    private readonly BlobLeaseClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewLoop;
    private long _lastRenewedTicks;
    private int _renewalCount;
    private Exception? _lossReason;
    private int _finished;

    private BlobLease(BlobLeaseClient client, string blobName, TimeSpan duration, TimeSpan? renewInterval, TimeProvider timeProvider)
    {
        _client = client;
        _timeProvider = timeProvider;
        BlobName = blobName;
        Duration = duration;
        _lastRenewedTicks = timeProvider.GetUtcNow().UtcTicks;
        _renewLoop = duration == InfiniteDuration
            ? Task.CompletedTask
            : Task.Run(() => RenewLoopAsync(renewInterval ?? duration / 3, _stop.Token));
    }

    /// <summary>The leased blob's name.</summary>
    public string BlobName { get; }

    /// <summary>The lease id (send it with writes to the blob).</summary>
    public string LeaseId => _client.LeaseId;

    /// <summary>The lease duration.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Fires when the lease is lost; the work under it must stop.</summary>
    public CancellationToken LeaseLost => _lost.Token;

    /// <summary>True once the lease is lost.</summary>
    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Why it was lost, or null.</summary>
    public Exception? LossReason => Volatile.Read(ref _lossReason);

    /// <summary>Successful renewals so far.</summary>
    public int RenewalCount => Volatile.Read(ref _renewalCount);

    /// <summary>When the lease was last acquired or renewed.</summary>
    public DateTimeOffset LastRenewedOn => new(Interlocked.Read(ref _lastRenewedTicks), TimeSpan.Zero);

    /// <summary>
    /// Acquires a lease on a blob, creating the (empty) blob create-only if it is missing. Contention is a result, not an
    /// exception: the caller decides whether to wait.
    /// </summary>
    /// <param name="container">The container.</param>
    /// <param name="blobName">The blob to lease.</param>
    /// <param name="options">Duration, renewal, creation; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The held lease, or the contention.</returns>
    public static async Task<BlobLeaseAcquireResult> TryAcquireAsync(
        BlobContainerClient container,
        string blobName,
        BlobLeaseOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        options ??= new BlobLeaseOptions();
        if (options.RenewInterval is { } interval && (interval <= TimeSpan.Zero || (options.Duration != InfiniteDuration && interval >= options.Duration)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), interval, "The renew interval must be positive and shorter than the lease duration.");
        }

        var blob = container.GetBlobClient(blobName);

        // Always propose an id: acquiring again with the same id succeeds, so a retry after a lost response (the first
        // attempt won) does not misreport our own lease as contention.
        var client = blob.GetBlobLeaseClient(options.ProposedLeaseId ?? Guid.NewGuid().ToString());
        try
        {
            try
            {
                await client.AcquireAsync(options.Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound && options.CreateBlobIfMissing)
            {
                await CreateLockBlobAsync(blob, cancellationToken).ConfigureAwait(false);
                await client.AcquireAsync(options.Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return BlobLeaseAcquireResult.Held(new BlobLease(client, blobName, options.Duration, options.RenewInterval, options.TimeProvider));
        }
        catch (RequestFailedException ex) when (ContentionOf(ex) is { } contention)
        {
            return BlobLeaseAcquireResult.Contended(contention);
        }
    }

    /// <summary>Renews the lease now.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when renewed.</returns>
    /// <exception cref="RequestFailedException">The renewal failed; a definitive loss also fires <see cref="LeaseLost"/>.</exception>
    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastRenewedTicks, _timeProvider.GetUtcNow().UtcTicks);
            Interlocked.Increment(ref _renewalCount);
        }
        catch (RequestFailedException ex) when (IsDefinitiveLoss(ex))
        {
            MarkLost(ex);
            throw;
        }
    }

    /// <summary>Stops renewing and releases the lease (once; later calls do nothing).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when released.</returns>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewLoop.ConfigureAwait(false);
        if (IsLost)
        {
            return;
        }

        try
        {
            await _client.ReleaseAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsDefinitiveLoss(ex))
        {
            // Someone broke or took it meanwhile: nothing is left to release.
        }
    }

    /// <summary>Releases the lease; failures are swallowed (the lease expires on its own within <see cref="Duration"/>).</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or HttpRequestException)
        {
            // Dispose must not mask the work's own exception.
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"BlobLease({BlobName}, duration {Duration.TotalSeconds:0}s, {(IsLost ? "lost" : "held")})");

    private static BlobErrorCode? ContentionOf(RequestFailedException ex)
    {
        if (ex.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
        {
            return BlobErrorCode.LeaseAlreadyPresent;
        }

        return ex.ErrorCode == BlobErrorCode.LeaseIsBreakingAndCannotBeAcquired ? BlobErrorCode.LeaseIsBreakingAndCannotBeAcquired : null;
    }

    private static async Task CreateLockBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another acquirer created it first (or it is already leased): either way it exists now.
        }
    }

    private static bool IsDefinitiveLoss(RequestFailedException ex) => ex.Status is 409 or 412 or 404;

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
            catch (RequestFailedException ex) when (IsDefinitiveLoss(ex))
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
}
