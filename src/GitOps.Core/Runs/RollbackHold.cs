namespace GitOps.Core.Runs;

/// <summary>
/// Set when a <c>gitops rollback</c> run applies an earlier commit: until a new commit arrives on the branch, drift and
/// manual runs reconcile <see cref="Commit"/> instead of the branch tip, and pushes of commits already on the branch at
/// rollback time are superseded, so the rollback is not undone by the next run.
/// </summary>
/// <param name="Commit">The commit rolled back to.</param>
/// <param name="BranchTipAtRollback">The branch tip when the rollback ran; a different tip ends the hold.</param>
/// <param name="By">Who asked for the rollback.</param>
/// <param name="At">When the rollback run applied it.</param>
public sealed record RollbackHold(CommitInfo Commit, string BranchTipAtRollback, string? By, DateTimeOffset At);
