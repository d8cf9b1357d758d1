namespace GitOps.Core.Runs;

/// <summary>
/// Narrows a drift run to the resources named by out-of-band changes (ARM events): the run loads, validates and
/// policy-checks the whole environment as always, then observes, plans and corrects only the declared resources among
/// these, with what the plan needs beside them (declared parents and what lives inside a changed resource). A change
/// to anything the environment does not declare is recorded and ignored: a scope never widens what a run may write.
/// </summary>
/// <param name="Reason">Why the run is narrowed, for the record (e.g. "3 out-of-band change(s) reported by ARM events").</param>
/// <param name="Changes">The changes, at most one per resource (the newest), each with its actor.</param>
public sealed record RunScope(string Reason, IReadOnlyList<ChangeAttribution> Changes);
