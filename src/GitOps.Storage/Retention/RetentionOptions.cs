namespace GitOps.Storage.Retention;

/// <summary>How long run history, webhook delivery records and pull-request previews are kept, and how much one cleanup pass may delete.</summary>
public sealed record RetentionOptions
{
    /// <summary>Runs that started longer ago than this are deleted. Default 90 days.</summary>
    public TimeSpan MaxRunAge { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Each environment keeps at most this many runs (the newest). Default 1,000.</summary>
    public int MaxRunsPerEnvironment { get; init; } = 1000;

    /// <summary>Webhook delivery records older than this are deleted (a provider's redeliveries end long before). Default 30 days.</summary>
    public TimeSpan DeliveryMaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Pull-request preview blobs not rewritten for longer than this are deleted. A merge is compared with its preview,
    /// so keep it longer than pull requests stay open without a push. Default 90 days.
    /// </summary>
    public TimeSpan PreviewMaxAge { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The most deletions (runs, deliveries and previews together) one pass makes; the next pass continues. Default 500.</summary>
    public int MaxDeletesPerPass { get; init; } = 500;

    /// <summary>The defaults.</summary>
    public static RetentionOptions Default { get; } = new();

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is zero, negative or too large.</exception>
    public RetentionOptions Validate()
    {
        if (MaxRunAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRunAge), MaxRunAge, "The run age limit must be positive.");
        }

        if (DeliveryMaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DeliveryMaxAge), DeliveryMaxAge, "The delivery age limit must be positive.");
        }

        if (PreviewMaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PreviewMaxAge), PreviewMaxAge, "The preview age limit must be positive.");
        }

        if (MaxRunsPerEnvironment is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRunsPerEnvironment), MaxRunsPerEnvironment, "Keep 1 to 100,000 runs per environment.");
        }

        if (MaxDeletesPerPass is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDeletesPerPass), MaxDeletesPerPass, "A pass deletes 1 to 100,000 items.");
        }

        return this;
    }
}
