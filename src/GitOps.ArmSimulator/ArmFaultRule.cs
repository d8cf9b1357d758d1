namespace GitOps.ArmSimulator;

/// <summary>
/// An injected failure: requests matching <see cref="Method"/> and <see cref="PathPattern"/> are answered with
/// <see cref="StatusCode"/> and an ARM error body instead of being processed. Rules are tried in the order added;
/// the first one that fires wins.
/// </summary>
public sealed class ArmFaultRule
{
    /// <summary>The HTTP method to match (case-insensitive), or <see langword="null"/> for any.</summary>
    public string? Method { get; init; }

    /// <summary>A path pattern where <c>*</c> matches any run of characters (case-insensitive), e.g. <c>*/providers/Microsoft.Storage/*</c>. <see langword="null"/> matches every path.</summary>
    public string? PathPattern { get; init; }

    /// <summary>The status code to answer with, e.g. 429, 500, 503 or 409.</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>The ARM error code in the body. Defaults to a code that fits the status (e.g. <c>InternalServerError</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message in the body; a generic message naming the fault when absent.</summary>
    public string? Message { get; init; }

    /// <summary>How many times the rule fires before it is spent, or <see langword="null"/> for no limit.</summary>
    public int? Count { get; init; }

    /// <summary>The chance (0 to 1) that a matching request fires the rule, drawn from the simulator's seeded random source. Default 1.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>The <c>Retry-After</c> header to send, rounded up to whole seconds, or <see langword="null"/> for none.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Extra delay before a fired rule answers.</summary>
    public TimeSpan Latency { get; init; }
}
