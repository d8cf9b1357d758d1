namespace GitOps.Core.Apply;

/// <summary>Options for observing and applying.</summary>
public sealed record ApplyOptions
{
    /// <summary>How many ARM writes run at once. ARM's write bucket refills at 10/s, so more rarely helps.</summary>
    public int MaxParallelWrites { get; init; } = 8;

    /// <summary>How many GETs run at once when observing live state.</summary>
    public int MaxParallelReads { get; init; } = 16;

    /// <summary>
    /// Whether resources the inventory does not know (a first apply, an adoption) are looked for with list calls first,
    /// so that only those that exist are read with a GET (<see cref="ExistenceProbe"/>). Off, every declared resource is
    /// read with a GET.
    /// </summary>
    public bool ListExistence { get; init; } = true;

    /// <summary>
    /// The fewest resources a list must be able to answer for (members of the collection plus what is declared below
    /// them) before it is sent instead of GETs; with one, a GET costs the same and returns the body too.
    /// </summary>
    public int MinListCandidates { get; init; } = 2;

    /// <summary>How long to wait between health reads of a resource that was written but is not healthy yet.</summary>
    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most GETs spent on one resource's health after a write: with <see cref="HealthPollInterval"/> and a resource's
    /// <c>healthTimeout</c> it bounds the reads a run spends, whatever a manifest asks for.
    /// </summary>
    public int MaxHealthPolls { get; init; } = 60;

    /// <summary>How long a write whose <c>provisioningState</c> is still in progress is waited for when the resource declares no <c>healthTimeout</c>.</summary>
    public TimeSpan ProvisioningTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The defaults.</summary>
    public static ApplyOptions Default { get; } = new();
}
