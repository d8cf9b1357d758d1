using System.Collections.Concurrent;

namespace GitOps.Arm;

/// <summary>
/// A local mirror of ARM's token buckets, one per subscription and operation kind, so that a run slows down before ARM
/// throttles it. Each request reserves a token; while the estimate stays above
/// <see cref="ThrottleBudgetOptions.Reserve"/> requests go at once, after that each waits its turn at the refill rate.
/// Every response's <c>x-ms-ratelimit-remaining-subscription-*</c> header replaces the estimate (ARM's count is the
/// truth: other clients of the subscription spend the same bucket), less the requests still outstanding here.
/// </summary>
/// <remarks>Thread-safe. All waiting goes through the <see cref="TimeProvider"/>, so tests need no real time.</remarks>
public sealed class ThrottleBudget
{
    private readonly ThrottleBudgetOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private long _delayedRequests;
    private long _delayTicks;

    /// <summary>Creates a budget.</summary>
    /// <param name="options">Bucket sizes, refill rates and reserve; ARM's defaults when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public ThrottleBudget(ThrottleBudgetOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new ThrottleBudgetOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many acquisitions had to wait.</summary>
    public long DelayedRequests => Interlocked.Read(ref _delayedRequests);

    /// <summary>The sum of all waits imposed by the budget.</summary>
    public TimeSpan TotalDelay => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));

    /// <summary>
    /// Reserves one token of <paramref name="kind"/> for <paramref name="subscriptionId"/>, waiting when the estimate is
    /// at the reserve. Pair every successful call with <see cref="Release"/> once the response (or failure) is in.
    /// </summary>
    public async Task AcquireAsync(string subscriptionId, ArmOperationKind kind, CancellationToken cancellationToken = default)
    {
        Bucket bucket = GetBucket(subscriptionId, kind);
        TimeSpan wait = bucket.Reserve(_time.GetTimestamp());
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        Interlocked.Increment(ref _delayedRequests);
        Interlocked.Add(ref _delayTicks, wait.Ticks);
        try
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            bucket.Refund();
            throw;
        }
    }

    /// <summary>Marks a request acquired with <see cref="AcquireAsync"/> as finished.</summary>
    public void Release(string subscriptionId, ArmOperationKind kind) => GetBucket(subscriptionId, kind).Release();

    /// <summary>
    /// Replaces the estimate with ARM's count from a <c>x-ms-ratelimit-remaining-subscription-*</c> header. Call
    /// <see cref="Release"/> for the request that carried it first, so that only other outstanding requests are
    /// subtracted.
    /// </summary>
    public void ObserveRemaining(string subscriptionId, ArmOperationKind kind, long remaining) =>
        GetBucket(subscriptionId, kind).Observe(remaining, _time.GetTimestamp());

    /// <summary>ARM answered 429: hold every request of this kind for <paramref name="retryAfter"/>.</summary>
    public void ObserveThrottled(string subscriptionId, ArmOperationKind kind, TimeSpan retryAfter) =>
        GetBucket(subscriptionId, kind).Throttled(retryAfter, _time.GetTimestamp());

    /// <summary>The current estimate of tokens left (negative when requests are queued behind the reserve).</summary>
    public double EstimateTokens(string subscriptionId, ArmOperationKind kind) =>
        GetBucket(subscriptionId, kind).Estimate(_time.GetTimestamp());

    private Bucket GetBucket(string subscriptionId, ArmOperationKind kind)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        return _buckets.GetOrAdd(
            $"{subscriptionId}|{kind}",
            static (_, state) => new Bucket(
                state.Options.CapacityFor(state.Kind),
                state.Options.RefillPerSecondFor(state.Kind),
                state.Options.Reserve,
                state.Time),
            (Options: _options, Kind: kind, Time: _time));
    }

    private sealed class Bucket(int capacity, double refillPerSecond, int reserve, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private double _tokens = capacity;
        private long _updatedAt = time.GetTimestamp();
        private int _outstanding;

        public TimeSpan Reserve(long now)
        {
            lock (_gate)
            {
                Refill(now);
                _tokens -= 1;
                _outstanding++;
                // Reservations below the reserve queue up: the n-th one waits n tokens' worth of refill.
                return _tokens >= reserve ? TimeSpan.Zero : TimeSpan.FromSeconds((reserve - _tokens) / refillPerSecond);
            }
        }

        public void Refund()
        {
            lock (_gate)
            {
                _tokens = Math.Min(capacity, _tokens + 1);
                _outstanding = Math.Max(0, _outstanding - 1);
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                _outstanding = Math.Max(0, _outstanding - 1);
            }
        }

        public void Observe(long remaining, long now)
        {
            lock (_gate)
            {
                // ARM counted the requests it has processed; ours still in flight or queued are not in its number yet.
                _tokens = Math.Min(capacity, remaining) - _outstanding;
                _updatedAt = now;
            }
        }

        public void Throttled(TimeSpan retryAfter, long now)
        {
            lock (_gate)
            {
                Refill(now);
                // Low enough that the next reservation waits at least retryAfter.
                double floor = reserve - _outstanding - (refillPerSecond * retryAfter.TotalSeconds);
                _tokens = Math.Min(_tokens, floor);
            }
        }

        public double Estimate(long now)
        {
            lock (_gate)
            {
                Refill(now);
                return _tokens;
            }
        }

        private void Refill(long now)
        {
            double seconds = time.GetElapsedTime(_updatedAt, now).TotalSeconds;
            if (seconds > 0)
            {
                _tokens = Math.Min(capacity, _tokens + (seconds * refillPerSecond));
                _updatedAt = now;
            }
        }
    }
}
