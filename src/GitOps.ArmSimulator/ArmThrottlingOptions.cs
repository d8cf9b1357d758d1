namespace GitOps.ArmSimulator;

/// <summary>
/// ARM's regional token-bucket throttling, per subscription (or tenant, for tenant-level paths) and operation kind.
/// The defaults are the documented per-principal limits (docs/arm-protocol.md §2).
/// </summary>
public sealed class ArmThrottlingOptions
{
    /// <summary>Whether requests are throttled. When off, no bucket is kept and no <c>x-ms-ratelimit-remaining-*</c> header is sent.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Tokens in a full read bucket. Default 250.</summary>
    public int ReadBucketSize { get; set; } = 250;

    /// <summary>Read tokens returned per second. Default 25.</summary>
    public int ReadRefillPerSecond { get; set; } = 25;

    /// <summary>Tokens in a full write bucket. Default 200.</summary>
    public int WriteBucketSize { get; set; } = 200;

    /// <summary>Write tokens returned per second. Default 10.</summary>
    public int WriteRefillPerSecond { get; set; } = 10;

    /// <summary>Tokens in a full delete bucket. Default 200.</summary>
    public int DeleteBucketSize { get; set; } = 200;

    /// <summary>Delete tokens returned per second. Default 10.</summary>
    public int DeleteRefillPerSecond { get; set; } = 10;
}
