using System.Collections.Concurrent;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// A local mirror of ARM's token buckets, one per subscription and operation kind, so that runs slow down before ARM
/// throttles them, and a scheduler that decides whose request goes when tokens are short. While the estimate stays
/// above <see cref="ThrottleBudgetOptions.Reserve"/> requests go at once; at the reserve they wait, and each time a
/// token's worth has refilled the next one goes: a push's before a manual run's before a drift sweep's
/// (<see cref="ArmCallPriority"/>), and within a priority the callers' lanes (environments) take turns, so environments
/// that share a subscription share its budget fairly. The caller is <see cref="ArmCallContext.Current"/>.
/// A response's <c>x-ms-ratelimit-remaining-subscription-*</c> header replaces the estimate (ARM's count is the truth:
/// other clients of the subscription spend the same bucket), less the requests ARM may not have counted yet.
/// </summary>
/// <remarks>Thread-safe. All waiting goes through the <see cref="TimeProvider"/>'s timers, so tests need no real time.</remarks>
public sealed class ThrottleBudget
{
    private readonly ThrottleBudgetOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ThrottleBucket> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Action<TimeSpan> _delayed;
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
        _delayed = wait =>
        {
            Interlocked.Increment(ref _delayedRequests);
            Interlocked.Add(ref _delayTicks, wait.Ticks);
        };
    }

    /// <summary>How many acquisitions had to wait.</summary>
    public long DelayedRequests => Interlocked.Read(ref _delayedRequests);

    /// <summary>The sum of all waits imposed by the budget.</summary>
    public TimeSpan TotalDelay => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));

    /// <summary>
    /// Reserves one token of <paramref name="kind"/> for <paramref name="subscriptionId"/>, waiting while the estimate is
    /// at the reserve, as the caller of <see cref="ArmCallContext.Current"/> (none: <see cref="ArmCaller.Unnamed"/>).
    /// Pair every successful call with <see cref="Release"/> once the response (or failure) is in.
    /// </summary>
    /// <param name="subscriptionId">The subscription the request goes to.</param>
    /// <param name="kind">Which of its buckets the request spends.</param>
    /// <param name="cancellationToken">Gives up waiting: the request leaves the queue having taken nothing.</param>
    /// <returns>
    /// The request's ticket: a number that grows with every token the bucket hands out, to pass to
    /// <see cref="ObserveRemaining"/> with the count its response carries.
    /// </returns>
    public Task<long> AcquireAsync(string subscriptionId, ArmOperationKind kind, CancellationToken cancellationToken = default) =>
        GetBucket(subscriptionId, kind).AcquireAsync(ArmCallContext.Current ?? ArmCaller.Unnamed, cancellationToken);

    /// <summary>Marks a request acquired with <see cref="AcquireAsync"/> as finished.</summary>
    /// <param name="subscriptionId">The request's subscription.</param>
    /// <param name="kind">The request's bucket.</param>
    public void Release(string subscriptionId, ArmOperationKind kind) => GetBucket(subscriptionId, kind).Release();

    /// <summary>
    /// Replaces the estimate with ARM's count from a <c>x-ms-ratelimit-remaining-subscription-*</c> header, less the
    /// requests ARM may not have counted when it answered: those still outstanding, and those answered since this one
    /// was let go (they may have reached ARM after it). Ignored when a response to a later request (a higher
    /// <paramref name="ticket"/>) was already observed: responses arrive out of order, and an older count would hand
    /// out again tokens ARM has already spent.
    /// </summary>
    /// <param name="subscriptionId">The request's subscription.</param>
    /// <param name="kind">The request's bucket.</param>
    /// <param name="remaining">The header's value.</param>
    /// <param name="ticket">The ticket <see cref="AcquireAsync"/> gave the request whose response carried it.</param>
    public void ObserveRemaining(string subscriptionId, ArmOperationKind kind, long remaining, long ticket) =>
        GetBucket(subscriptionId, kind).Observe(remaining, ticket);

    /// <summary>ARM answered 429: hold every request of this kind for <paramref name="retryAfter"/>.</summary>
    /// <param name="subscriptionId">The request's subscription.</param>
    /// <param name="kind">The request's bucket.</param>
    /// <param name="retryAfter">ARM's <c>Retry-After</c>, or the backoff when it gave none.</param>
    public void ObserveThrottled(string subscriptionId, ArmOperationKind kind, TimeSpan retryAfter) =>
        GetBucket(subscriptionId, kind).Throttled(retryAfter);

    /// <summary>The current estimate of tokens left (negative after ARM said fewer were left than it may not have counted, or after a 429).</summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="kind">The bucket.</param>
    public double EstimateTokens(string subscriptionId, ArmOperationKind kind) => GetBucket(subscriptionId, kind).Estimate();

    /// <summary>How many requests wait for a token of this bucket.</summary>
    internal int Waiting(string subscriptionId, ArmOperationKind kind) => GetBucket(subscriptionId, kind).Waiting;

    private ThrottleBucket GetBucket(string subscriptionId, ArmOperationKind kind)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        return _buckets.GetOrAdd(
            $"{subscriptionId}|{kind}",
            static (_, state) => new ThrottleBucket(
                state.Options.CapacityFor(state.Kind),
                state.Options.RefillPerSecondFor(state.Kind),
                state.Options.Reserve,
                state.Time,
                state.Delayed),
            (Options: _options, Kind: kind, Time: _time, Delayed: _delayed));
    }
}
