namespace GitOps.Arm;

/// <summary>
/// The local mirror of ARM's regional token buckets (per subscription, per principal, per operation kind).
/// Defaults are ARM's published limits: reads 250 + 25/s, writes 200 + 10/s, deletes 200 + 10/s.
/// </summary>
public sealed class ThrottleBudgetOptions
{
    /// <summary>When false, requests are never delayed by the budget (429s are still retried).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Read bucket size.</summary>
    public int ReadCapacity { get; set; } = 250;

    /// <summary>Read tokens returned per second.</summary>
    public double ReadRefillPerSecond { get; set; } = 25;

    /// <summary>Write bucket size.</summary>
    public int WriteCapacity { get; set; } = 200;

    /// <summary>Write tokens returned per second.</summary>
    public double WriteRefillPerSecond { get; set; } = 10;

    /// <summary>Delete bucket size.</summary>
    public int DeleteCapacity { get; set; } = 200;

    /// <summary>Delete tokens returned per second.</summary>
    public double DeleteRefillPerSecond { get; set; } = 10;

    /// <summary>
    /// Tokens kept in hand: once the estimate reaches this many, requests are paced at the refill rate, so other
    /// clients of the same subscription (and our own estimation error) do not push ARM into 429s.
    /// </summary>
    public int Reserve { get; set; } = 5;

    /// <summary>The bucket size for <paramref name="kind"/>.</summary>
    public int CapacityFor(ArmOperationKind kind) => kind switch
    {
        ArmOperationKind.Read => ReadCapacity,
        ArmOperationKind.Write => WriteCapacity,
        _ => DeleteCapacity,
    };

    /// <summary>The refill rate for <paramref name="kind"/>, tokens per second.</summary>
    public double RefillPerSecondFor(ArmOperationKind kind) => kind switch
    {
        ArmOperationKind.Read => ReadRefillPerSecond,
        ArmOperationKind.Write => WriteRefillPerSecond,
        _ => DeleteRefillPerSecond,
    };

    internal void Validate()
    {
        foreach (ArmOperationKind kind in Enum.GetValues<ArmOperationKind>())
        {
            if (CapacityFor(kind) < 1 || !(RefillPerSecondFor(kind) > 0))
            {
                throw new ArgumentException($"Throttle budget for {kind}: capacity must be at least 1 and the refill rate above 0.");
            }
        }

        if (Reserve < 0 || Reserve >= Math.Min(ReadCapacity, Math.Min(WriteCapacity, DeleteCapacity)))
        {
            throw new ArgumentException("Throttle budget reserve must be at least 0 and below every bucket's capacity.");
        }
    }
}
