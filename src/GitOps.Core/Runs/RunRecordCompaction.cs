using GitOps.Core.Apply;
using GitOps.Core.Planning;

namespace GitOps.Core.Runs;

/// <summary>
/// Keeps run records small whatever the environment's size (issue 19): per-resource entries of resources that did
/// nothing are counted, not listed, and at most <see cref="MaxListed"/> entries of each list are kept, so a
/// 10,000-resource run that changed nothing records a few kilobytes. The whole plan of a run that changed something is
/// kept beside the record as a <see cref="RunDetail"/> (<see cref="RunRecord.FullPlan"/>).
/// </summary>
public static class RunRecordCompaction
{
    /// <summary>The most changes, results or health verdicts a record lists.</summary>
    public const int MaxListed = 200;

    /// <summary>The results a record lists (failures first, then plan order, at most <paramref name="max"/>, listed in plan order) and the counts of all.</summary>
    /// <param name="results">Every result, in plan order.</param>
    /// <param name="max">The most to list.</param>
    public static (IReadOnlyList<ResourceResult> Listed, ResultCounts? Counts) Results(IReadOnlyList<ResourceResult> results, int max = MaxListed)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return ([], null);
        }

        var listed = results;
        if (results.Count > max)
        {
            var keep = results.Select((r, i) => (r, i))
                .OrderBy(p => p.r.Outcome == ResourceOutcome.Succeeded ? 1 : 0)
                .ThenBy(p => p.i)
                .Take(max)
                .OrderBy(p => p.i)
                .Select(p => p.r)
                .ToList();
            listed = keep;
        }

        return (listed, new ResultCounts(
            results.Count(r => r.Outcome == ResourceOutcome.Succeeded),
            results.Count(r => r.Outcome == ResourceOutcome.Failed),
            results.Count(r => r.Outcome == ResourceOutcome.Skipped),
            results.Count - listed.Count));
    }

    /// <summary>
    /// The health verdicts a record lists: every unhealthy one, and the healthy ones of resources the run wrote, at most
    /// <paramref name="max"/>; healthy resources that were only observed are counted.
    /// </summary>
    /// <param name="health">Every verdict.</param>
    /// <param name="written">Ids of the resources the run wrote.</param>
    /// <param name="max">The most to list.</param>
    public static (IReadOnlyList<ResourceHealth>? Listed, HealthCounts? Counts) Health(IReadOnlyList<ResourceHealth> health, IReadOnlySet<string> written, int max = MaxListed)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(written);
        if (health.Count == 0)
        {
            return (null, null);
        }

        var listed = health
            .Where(h => h.Status == HealthStatus.Unhealthy || written.Contains(h.Id))
            .OrderBy(h => h.Status == HealthStatus.Unhealthy ? 0 : 1)
            .Take(max)
            .ToList();
        var unhealthy = health.Count(h => h.Status == HealthStatus.Unhealthy);
        return (listed.Count > 0 ? listed : null, new HealthCounts(health.Count - unhealthy, unhealthy, health.Count - listed.Count));
    }

    /// <summary>True when the run changed or found something worth a full plan: a change that acts, or a result.</summary>
    /// <param name="plan">The plan, or null.</param>
    /// <param name="results">The results.</param>
    public static bool NeedsDetail(PlanResult? plan, IReadOnlyList<ResourceResult> results) =>
        results.Count > 0 || (plan is not null && plan.Changes.Any(c => c.Action != PlanAction.Noop));
}
