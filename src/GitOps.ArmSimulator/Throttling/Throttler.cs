using System.Collections.Concurrent;

namespace GitOps.ArmSimulator.Throttling;

/// <summary>The outcome of taking a token: the header to send and, when throttled, how long to wait.</summary>
internal readonly record struct ThrottleDecision(bool Allowed, string? HeaderName, int Remaining, int RetryAfterSeconds);

/// <summary>ARM's regional throttling: one bucket per subscription (or the tenant) and operation kind.</summary>
internal sealed class Throttler
{
    private readonly ArmThrottlingOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Scope, ArmOperationKind Kind), TokenBucket> _buckets = new();

    public Throttler(ArmThrottlingOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public ThrottleDecision Take(string? subscriptionId, ArmOperationKind kind)
    {
        if (!_options.Enabled)
        {
            return new ThrottleDecision(true, null, 0, 0);
        }

        var scope = subscriptionId is null ? "tenant" : "subscription";
        var bucket = _buckets.GetOrAdd(((subscriptionId ?? string.Empty).ToLowerInvariant(), kind), key => Create(key.Kind));
        var header = $"x-ms-ratelimit-remaining-{scope}-{Plural(kind)}";
        if (bucket.TryTake(out var remaining, out var retryAfter))
        {
            return new ThrottleDecision(true, header, remaining, 0);
        }

        return new ThrottleDecision(false, header, 0, Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));
    }

    public void Reset() => _buckets.Clear();

    public static string Plural(ArmOperationKind kind) => kind switch
    {
        ArmOperationKind.Read => "reads",
        ArmOperationKind.Write => "writes",
        _ => "deletes",
    };

    private TokenBucket Create(ArmOperationKind kind) => kind switch
    {
        ArmOperationKind.Read => new TokenBucket(_options.ReadBucketSize, _options.ReadRefillPerSecond, _time),
        ArmOperationKind.Write => new TokenBucket(_options.WriteBucketSize, _options.WriteRefillPerSecond, _time),
        _ => new TokenBucket(_options.DeleteBucketSize, _options.DeleteRefillPerSecond, _time),
    };
}
