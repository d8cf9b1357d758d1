using System.Globalization;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Says who changed Azure outside git on a drift run that found differences: the actor of the ARM event for each
/// changed resource (or for the changed resource it lives in), else an unknown actor (a difference found by reading
/// Azure, which does not say who). Adds one sentence to the run's summary, e.g. "Changed out of band by
/// alice@contoso.com (portal) at 12:03:11Z; corrected at 12:03:14Z."
/// </summary>
internal static class OutOfBandAttribution
{
    public static void Attach(RunContext context)
    {
        if (context.Job.Trigger != RunTrigger.Drift || context.Plan is not { } plan)
        {
            return;
        }

        var changed = plan.Changes
            .Where(c => c.Action is PlanAction.Drift or PlanAction.Create or PlanAction.Update or PlanAction.Delete)
            .Select(c => c.Id)
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        var events = (context.Scope?.Changes ?? []).ToDictionary(c => c.ResourceId, StringComparer.OrdinalIgnoreCase);
        var attributions = changed.Select(id => Of(id, events)).ToList();
        context.ChangedBy = attributions.Take(RunRecord.MaxChangedBy).ToList();

        var known = attributions.Where(a => a.Source == ChangeAttribution.EventSource).ToList();
        var sentence = known.Count == 0
            ? "Changed out of band by an unknown actor (the drift check found it by reading Azure; ARM events would name who)"
            : $"Changed out of band by {known[0].Actor.Display}{At(known[0].ChangedAt)}{Others(attributions.Count - 1)}";
        var ending = context.Outcome == RunOutcome.Applied && context.FinishedAt is { } finished
            ? $"; corrected at {Time(finished)}."
            : ".";
        context.Summary = $"{context.Summary} {sentence}{ending}";
    }

    // The event of the resource itself, else of the nearest changed resource it lives in (a deleted group).
    private static ChangeAttribution Of(string id, IReadOnlyDictionary<string, ChangeAttribution> events)
    {
        if (events.TryGetValue(id, out var own))
        {
            return own with { ResourceId = id };
        }

        foreach (var ancestor in ObservationScope.Ancestors(id).Reverse())
        {
            if (events.TryGetValue(ancestor, out var outer))
            {
                return outer with { ResourceId = id };
            }
        }

        return ChangeAttribution.Unattributed(id);
    }

    private static string At(DateTimeOffset? time) => time is { } at ? $" at {Time(at)}" : string.Empty;

    private static string Others(int count) => count > 0 ? $" (and {count} other change(s))" : string.Empty;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
