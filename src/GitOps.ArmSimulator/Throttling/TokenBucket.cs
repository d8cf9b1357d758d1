namespace GitOps.ArmSimulator.Throttling;

/// <summary>
/// One ARM token bucket. Arithmetic is in integer clock ticks (tokens × timestamp frequency) so that a manual clock
/// gives exact results: after emptying a bucket that refills 10/s, advancing the clock 100 ms returns exactly one token.
/// </summary>
internal sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly long _capacity;
    private readonly long _refillPerSecond;
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private long _scaledTokens;
    private long _lastTimestamp;

    public TokenBucket(int capacity, int refillPerSecond, TimeProvider time)
    {
        _capacity = capacity;
        _refillPerSecond = Math.Max(1, refillPerSecond);
        _time = time;
        _frequency = time.TimestampFrequency;
        _scaledTokens = _capacity * _frequency;
        _lastTimestamp = time.GetTimestamp();
    }

    /// <summary>Takes a token if there is one. <paramref name="remaining"/> is the whole tokens left; <paramref name="retryAfter"/> is when the next token arrives.</summary>
    public bool TryTake(out int remaining, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            Refill();
            if (_scaledTokens >= _frequency)
            {
                _scaledTokens -= _frequency;
                remaining = (int)(_scaledTokens / _frequency);
                retryAfter = TimeSpan.Zero;
                return true;
            }

            remaining = 0;
            var missingTicks = ((_frequency - _scaledTokens) + _refillPerSecond - 1) / _refillPerSecond;
            retryAfter = TimeSpan.FromSeconds((double)missingTicks / _frequency);
            return false;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = now - _lastTimestamp;
        _lastTimestamp = now;
        if (elapsed <= 0)
        {
            return;
        }

        var full = _capacity * _frequency;
        // Guard the multiplication: anything longer than a full refill just fills the bucket.
        if (elapsed >= (full - _scaledTokens) / _refillPerSecond + 1)
        {
            _scaledTokens = full;
            return;
        }

        _scaledTokens = Math.Min(full, _scaledTokens + (elapsed * _refillPerSecond));
    }
}
