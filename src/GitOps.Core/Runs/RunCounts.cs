namespace GitOps.Core.Runs;

/// <summary>
/// How many per-resource results a run has, by outcome: a record lists at most
/// <see cref="RunRecordCompaction.MaxListed"/> of them (failures first) and counts them all here.
/// </summary>
/// <param name="Succeeded">Changes that were applied.</param>
/// <param name="Failed">Changes that failed.</param>
/// <param name="Skipped">Changes not attempted.</param>
/// <param name="Unlisted">Results counted here but not listed in <see cref="RunRecord.Results"/> (see <see cref="RunRecord.FullPlan"/>).</param>
public sealed record ResultCounts(int Succeeded, int Failed, int Skipped, int Unlisted = 0);

/// <summary>
/// How many resources a run judged healthy and unhealthy. A record lists every unhealthy one and the healthy ones it
/// wrote (at most <see cref="RunRecordCompaction.MaxListed"/>); healthy resources it only observed are counted, not listed.
/// </summary>
/// <param name="Healthy">Resources judged healthy.</param>
/// <param name="Unhealthy">Resources judged unhealthy.</param>
/// <param name="Unlisted">Judged but not listed in <see cref="RunRecord.Health"/>.</param>
public sealed record HealthCounts(int Healthy, int Unhealthy, int Unlisted = 0);
