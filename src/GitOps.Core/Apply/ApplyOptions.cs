namespace GitOps.Core.Apply;

/// <summary>Options for observing and applying.</summary>
public sealed record ApplyOptions
{
    /// <summary>How many ARM writes run at once. ARM's write bucket refills at 10/s, so more rarely helps.</summary>
    public int MaxParallelWrites { get; init; } = 8;

    /// <summary>How many GETs run at once when observing live state.</summary>
    public int MaxParallelReads { get; init; } = 16;

    /// <summary>The defaults.</summary>
    public static ApplyOptions Default { get; } = new();
}
