namespace GitOps.Core.Runs;

/// <summary>What a narrowed run (<see cref="RunScope"/>) observed and why; null on a run of the whole environment.</summary>
/// <param name="Reason">Why it was narrowed.</param>
/// <param name="Requested">How many resources the changes named.</param>
/// <param name="Observed">The declared resources it observed (at most <see cref="MaxListed"/> listed), each with why.</param>
/// <param name="ObservedCount">How many it observed.</param>
/// <param name="NotDeclared">Named resources the environment does not declare (ignored; at most <see cref="MaxListed"/> listed).</param>
/// <param name="NotDeclaredCount">How many named resources it does not declare.</param>
public sealed record RecordedScope(
    string Reason,
    int Requested,
    IReadOnlyList<ScopedResource> Observed,
    int ObservedCount,
    IReadOnlyList<string> NotDeclared,
    int NotDeclaredCount)
{
    /// <summary>The most ids a record lists (the counts are exact).</summary>
    public const int MaxListed = 200;

    /// <summary>
    /// True for a targeted push (the scope chose what to read, by declaration digests, not what the run stands for): the
    /// run still applies its commit and prunes. False for a run narrowed to out-of-band changes, which applies no commit.
    /// </summary>
    public bool AppliesCommit { get; init; }
}

/// <summary>One observed resource of a narrowed run.</summary>
/// <param name="Id">The resource id.</param>
/// <param name="Why">
/// For an event-scoped run: <c>changed</c> (an event named it), <c>parent of a changed resource</c>, <c>child of a
/// changed resource</c> or <c>inside a deleted resource</c>. For a targeted push: <c>declaration changed</c>,
/// <c>not in inventory</c> (new, or never applied), <c>depends on &lt;id&gt;</c>, <c>child of &lt;id&gt;</c>, or
/// <c>to delete</c> (an inventory entry no longer declared: planned from the inventory, never read).
/// </param>
public sealed record ScopedResource(string Id, string Why);
