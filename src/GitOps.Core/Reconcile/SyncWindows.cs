using GitOps.Core.Manifests.Config;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Argo CD's sync-window rules for one environment: a deny window that is open wins; when any allow window governs a
/// trigger, runs of that trigger may change Azure only inside one; a trigger no window governs is always open. A
/// rollback is governed as manual; a job re-sent by the reconciler itself (<see cref="RunTrigger.Retry"/>) as a push.
/// </summary>
public static class SyncWindows
{
    // Each step jumps to a deny window's end or an allow window's start; windows that keep overlapping give up here.
    private const int MaxSteps = 64;

    /// <summary>The trigger whose windows govern a job of <paramref name="trigger"/>.</summary>
    public static RunTrigger Governing(RunTrigger trigger) => trigger switch
    {
        RunTrigger.Rollback => RunTrigger.Manual,
        RunTrigger.Retry => RunTrigger.Push,
        _ => trigger,
    };

    /// <summary>Whether runs of <paramref name="trigger"/> may change Azure at <paramref name="now"/>, and when they may next.</summary>
    /// <param name="windows">The environment's windows.</param>
    /// <param name="trigger">The job's trigger.</param>
    /// <param name="now">The time now.</param>
    public static SyncWindowStatus Evaluate(IReadOnlyList<SyncWindow> windows, RunTrigger trigger, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var governing = Governing(trigger);
        var schedules = windows.Where(w => w.Triggers.Contains(governing)).Select(SyncWindowSchedule.Of).ToList();
        if (schedules.Count == 0)
        {
            return new SyncWindowStatus(true, $"open: no sync window governs {Name(governing)} runs", null);
        }

        if (schedules.Any(s => s is null))
        {
            // Validated when loaded, so only a machine without the time zone database gets here: closed, never guessed open.
            return new SyncWindowStatus(false, "closed: a sync window's time zone is unknown on this machine (is tzdata installed?)", null);
        }

        var denies = schedules.Where(s => s!.Window.Kind == SyncWindowKind.Deny).Select(s => s!).ToList();
        var allows = schedules.Where(s => s!.Window.Kind == SyncWindowKind.Allow).Select(s => s!).ToList();
        string? closedBy = null;
        var at = now;
        for (var step = 0; step < MaxSteps && at - now <= SyncWindowSchedule.Horizon; step++)
        {
            var openDenies = denies.Select(d => (d.Window, Until: d.OpenUntil(at))).Where(d => d.Until is not null).ToList();
            var openAllow = allows.Select(a => (a.Window, Until: a.OpenUntil(at))).FirstOrDefault(a => a.Until is not null);
            var blocked = openDenies.Count > 0 || (allows.Count > 0 && openAllow.Until is null);
            if (!blocked && at == now)
            {
                return new SyncWindowStatus(true, openAllow.Until is { } end ? $"open: inside {openAllow.Window.Label} until {Time(end)}" : "open: no deny window is open", null);
            }

            if (!blocked)
            {
                return new SyncWindowStatus(false, $"{closedBy}; opens {Time(at)}{(openAllow.Until is null ? string.Empty : $" ({openAllow.Window.Label})")}", at);
            }

            closedBy ??= openDenies.Count > 0 ? $"closed by {openDenies[0].Window.Label}" : $"closed: outside {(allows.Count == 1 ? allows[0].Window.Label : "every allow window")}";
            var next = openDenies.Count > 0 ? openDenies.Max(d => d.Until!.Value) : at;
            if (allows.Count > 0 && openAllow.Until is null)
            {
                var starts = allows.Select(a => a.NextStart(at)).Where(s => s is not null).Select(s => s!.Value).ToList();
                if (starts.Count == 0)
                {
                    break;
                }

                next = next > starts.Min() ? next : starts.Min();
            }

            if (next <= at)
            {
                break;
            }

            at = next;
        }

        return new SyncWindowStatus(false, $"{closedBy ?? "closed"}; no opening found ahead", null);
    }

    /// <summary>
    /// One line per trigger group for the status page and <c>gitops runs</c>, e.g. "push, manual: closed by deny window
    /// 'weekend'; opens 2026-12-07 06:00 UTC · drift: open: no sync window governs drift runs"; null without windows.
    /// </summary>
    /// <param name="windows">The environment's windows.</param>
    /// <param name="now">The time now.</param>
    public static string? Describe(IReadOnlyList<SyncWindow> windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            return null;
        }

        RunTrigger[] triggers = [RunTrigger.Push, RunTrigger.Drift, RunTrigger.Manual];
        return string.Join(" · ", triggers
            .Select(t => (Trigger: t, Status: Evaluate(windows, t, now)))
            .GroupBy(t => t.Status.Detail, StringComparer.Ordinal)
            .Select(g => $"{string.Join(", ", g.Select(t => Name(t.Trigger)))}: {g.Key}"));
    }

    internal static string Time(DateTimeOffset at) => $"{at.UtcDateTime:yyyy-MM-dd HH:mm} UTC";

    internal static string Name(RunTrigger trigger) => trigger.ToString().ToLowerInvariant();
}
