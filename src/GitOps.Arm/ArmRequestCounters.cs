namespace GitOps.Arm;

/// <summary>What an <see cref="ArmResourceClient"/> has sent so far, for benchmarks and run summaries. Thread-safe.</summary>
public sealed class ArmRequestCounters
{
    private long _reads;
    private long _writes;
    private long _deletes;
    private long _throttled;
    private long _retries;

    /// <summary>GET requests sent, polls included, retries included.</summary>
    public long ReadsSent => Interlocked.Read(ref _reads);

    /// <summary>PUT requests sent, retries included.</summary>
    public long WritesSent => Interlocked.Read(ref _writes);

    /// <summary>DELETE requests sent, retries included.</summary>
    public long DeletesSent => Interlocked.Read(ref _deletes);

    /// <summary>429 responses received.</summary>
    public long ThrottledResponses => Interlocked.Read(ref _throttled);

    /// <summary>Requests sent again after a transient failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests sent of <paramref name="kind"/>.</summary>
    public long SentFor(ArmOperationKind kind) => kind switch
    {
        ArmOperationKind.Read => ReadsSent,
        ArmOperationKind.Write => WritesSent,
        _ => DeletesSent,
    };

    /// <inheritdoc />
    public override string ToString() =>
        $"reads={ReadsSent} writes={WritesSent} deletes={DeletesSent} 429s={ThrottledResponses} retries={Retries}";

    internal void CountSent(ArmOperationKind kind)
    {
        switch (kind)
        {
            case ArmOperationKind.Read: Interlocked.Increment(ref _reads); break;
            case ArmOperationKind.Write: Interlocked.Increment(ref _writes); break;
            default: Interlocked.Increment(ref _deletes); break;
        }
    }

    internal void CountThrottled() => Interlocked.Increment(ref _throttled);

    internal void CountRetry() => Interlocked.Increment(ref _retries);
}
