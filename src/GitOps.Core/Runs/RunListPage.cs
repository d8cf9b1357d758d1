namespace GitOps.Core.Runs;

/// <summary>One page of a run listing, newest first.</summary>
/// <param name="Runs">The runs on this page.</param>
/// <param name="Next">The token for the next (older) page, or null when this is the last.</param>
public sealed record RunListPage(IReadOnlyList<RunSummary> Runs, string? Next);
