using GitOps.Core.Apply;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The run-level view of resource health: what observing found (a resource that turned <c>Failed</c> between runs
/// plans as a no-op, so without this it would read "Azure matches git"), what the writes found, and whether the run
/// ends <see cref="RunOutcome.Unhealthy"/> rather than applied.
/// </summary>
internal static class HealthOutcome
{
    /// <summary>After observing: records the health of declared resources, and warns about the unhealthy ones.</summary>
    public static void Observe(RunContext context)
    {
        var live = context.Live!;
        var observed = context.Resources
            .Where(r => live.ContainsKey(r.Id))
            .Select(r => HealthChecker.OfLive(r.Id, live[r.Id], r.Reconcile.Health))
            .OfType<ResourceHealth>()
            .ToList();
        context.Warnings.AddRange(observed.Where(h => h.Status == HealthStatus.Unhealthy).Select(h => $"{h.Id} is not healthy in Azure: {h.Detail}."));

        // What earlier segments of the run observed (their warnings came back with the checkpoint).
        context.LiveHealth = [.. observed, .. context.Segment?.PriorHealth(live) ?? []];
    }

    /// <summary>The health of every resource the run judged: after-write health wins over what was observed before.</summary>
    public static IReadOnlyList<ResourceHealth> Of(RunContext context)
    {
        var written = (context.Applied?.Results ?? [])
            .Where(r => r.Health is not null)
            .Select(r => new ResourceHealth(r.Id, r.Health!.Value, r.HealthDetail ?? string.Empty))
            .ToList();
        var ids = written.Select(h => h.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. written, .. context.LiveHealth.Where(h => !ids.Contains(h.Id))];
    }

    /// <summary>The summary of a run that ends unhealthy, or null when it does not (a failed write stays a failure).</summary>
    public static string? Unhealthy(RunContext context)
    {
        var applied = context.Applied!;
        if (applied.Results.Any(r => r.Outcome == ResourceOutcome.Failed))
        {
            return null;
        }

        var unhealthy = Of(context).Where(h => h.Status == HealthStatus.Unhealthy).ToList();
        if (unhealthy.Count == 0)
        {
            return null;
        }

        var skipped = applied.Results.Count(r => r.ErrorCode == Applier.DependencyUnhealthyCode);
        return $"{unhealthy.Count} resource(s) not healthy ({string.Join("; ", unhealthy.Take(3).Select(h => $"{h.Id}: {h.Detail}"))})" +
            $"{(applied.Writes > 0 ? $" after {applied.Writes} write(s) of {context.Commit!.ShortSha}" : string.Empty)}" +
            $"{(skipped > 0 ? $"; {skipped} dependent(s) not written" : string.Empty)}. The next run checks again.";
    }
}
