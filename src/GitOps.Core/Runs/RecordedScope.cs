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
}

/// <summary>One observed resource of a narrowed run.</summary>
/// <param name="Id">The resource id.</param>
/// <param name="Why">
/// <c>changed</c> (an event named it), <c>parent of a changed resource</c>, or <c>inside a changed resource</c> (a
/// child, or a resource in a changed resource group).
/// </param>
public sealed record ScopedResource(string Id, string Why);
