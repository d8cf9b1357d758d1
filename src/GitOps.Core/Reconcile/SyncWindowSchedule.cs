using GitOps.Core.Manifests.Config;
using NCrontab;

namespace GitOps.Core.Reconcile;

/// <summary>
/// The instants one sync window is open: cron firings in the window's own wall-clock time, turned into UTC. A start
/// that falls into a spring-forward gap moves forward by the gap (02:30 on the night clocks jump 02:00→03:00 opens at
/// 03:30); a start in a fall-back hour that happens twice opens once, at its first occurrence. The duration is elapsed
/// time.
/// </summary>
internal sealed class SyncWindowSchedule
{
    // Wall-clock and UTC differ by at most a few hours; searching this much either side never misses a firing.
    private static readonly TimeSpan Margin = TimeSpan.FromHours(15);

    private readonly CrontabSchedule _cron;
    private readonly TimeZoneInfo _zone;

    private SyncWindowSchedule(SyncWindow window, CrontabSchedule cron, TimeZoneInfo zone)
    {
        Window = window;
        _cron = cron;
        _zone = zone;
    }

    /// <summary>How far ahead the next opening is looked for: four years and a bit, so 29 February is found.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays((4 * 366) + 2);

    public SyncWindow Window { get; }

    /// <summary>Parses a 5-field cron expression, or returns null.</summary>
    public static CrontabSchedule? ParseCron(string schedule) =>
        schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 ? CrontabSchedule.TryParse(schedule) : null;

    /// <summary>Finds an IANA (or system) time zone, or returns null.</summary>
    public static TimeZoneInfo? FindZone(string id)
    {
        if (string.Equals(id, "UTC", StringComparison.Ordinal))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception error) when (error is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>The schedule of a window that was validated when loaded; null when this machine cannot read it (e.g. no tzdata).</summary>
    public static SyncWindowSchedule? Of(SyncWindow window) =>
        ParseCron(window.Schedule) is { } cron && FindZone(window.TimeZone) is { } zone ? new SyncWindowSchedule(window, cron, zone) : null;

    /// <summary>The end of the latest opening that holds <paramref name="at"/> (start ≤ at &lt; start + duration), or null.</summary>
    public DateTimeOffset? OpenUntil(DateTimeOffset at)
    {
        DateTimeOffset? until = null;
        foreach (var start in StartsFrom(at - Window.Duration))
        {
            if (start > at)
            {
                break;
            }

            if (at < start + Window.Duration)
            {
                until = start + Window.Duration;
            }
        }

        return until;
    }

    /// <summary>The first start after <paramref name="after"/> within <see cref="Horizon"/>, or null.</summary>
    public DateTimeOffset? NextStart(DateTimeOffset after)
    {
        foreach (var start in StartsFrom(after))
        {
            if (start > after)
            {
                return start;
            }
        }

        return null;
    }

    // Starts in UTC, in order, from a little before 'from' up to the horizon.
    private IEnumerable<DateTimeOffset> StartsFrom(DateTimeOffset from)
    {
        var wall = TimeZoneInfo.ConvertTime(from, _zone).DateTime - Margin;
        var end = wall + Horizon + Margin + Margin;
        foreach (var occurrence in _cron.GetNextOccurrences(wall.AddMinutes(-1), end))
        {
            yield return ToUtc(occurrence);
        }
    }

    private DateTimeOffset ToUtc(DateTime wall)
    {
        var local = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        var offset = _zone.IsAmbiguousTime(local)
            ? _zone.GetAmbiguousTimeOffsets(local).Max()
            : _zone.IsInvalidTime(local) ? _zone.GetUtcOffset(local.AddHours(-3)) : _zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
