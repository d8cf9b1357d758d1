using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Manifests.Config;

/// <summary>
/// Reads an environment's <c>windows:</c> list of <c>gitops.yaml</c>, reporting every bad cron, duration, time zone
/// or trigger at its line.
/// </summary>
internal sealed class SyncWindowReader(string file, List<Diagnostic> diagnostics)
{
    /// <summary>The most windows one environment may declare (each is evaluated on every run and page view).</summary>
    public const int MaxWindows = 20;

    /// <summary>The longest window: longer freezes are <c>suspended: {{ until: … }}</c>, which says so on every page.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    private static readonly string[] Fields = ["kind", "schedule", "duration", "timeZone", "triggers", "name"];

    private static readonly Dictionary<string, SyncWindowKind> Kinds = new(StringComparer.Ordinal)
    {
        ["allow"] = SyncWindowKind.Allow,
        ["deny"] = SyncWindowKind.Deny,
    };

    private static readonly Dictionary<string, RunTrigger> TriggerNames = new(StringComparer.Ordinal)
    {
        ["push"] = RunTrigger.Push,
        ["drift"] = RunTrigger.Drift,
        ["manual"] = RunTrigger.Manual,
    };

    private const string Example = "- { kind: deny, schedule: \"0 18 * * 5\", duration: 60h, timeZone: Europe/Berlin, triggers: [push, drift] }";

    private readonly MapReader _reader = new(diagnostics);

    /// <summary>Reads the list; windows with errors are reported and left out.</summary>
    public IReadOnlyList<SyncWindow> Read(YamlNode node)
    {
        var windows = new List<SyncWindow>();
        if (_reader.ExpectList(node, "windows", Example) is not { } list)
        {
            return windows;
        }

        if (list.Items.Count > MaxWindows)
        {
            Error(DiagnosticCodes.LimitExceeded, list.Location, $"'windows' has {list.Items.Count} entries; the limit is {MaxWindows}.", "Merge windows: one cron expression can name several days and hours.");
            return windows;
        }

        foreach (var item in list.Items)
        {
            if (ReadWindow(item) is { } window)
            {
                windows.Add(window);
            }
        }

        return windows;
    }

    private SyncWindow? ReadWindow(YamlNode node)
    {
        if (_reader.ExpectMap(node, "windows[]", Example) is not { } map)
        {
            return null;
        }

        var mark = diagnostics.Count;
        _reader.RejectUnknownKeys(map, Fields, "a sync window");
        var kind = Required(map, "kind", "kind: allow (or deny)") is { } kindNode ? _reader.ReadEnum(kindNode, "windows[].kind", Kinds) : null;
        var schedule = Required(map, "schedule", "schedule: \"0 8 * * 1-5\" (minute hour day-of-month month day-of-week)") is { } scheduleNode ? ReadSchedule(scheduleNode) : null;
        var duration = Required(map, "duration", "duration: 10h") is { } durationNode ? ReadDuration(durationNode) : null;
        var zone = map.TryGet("timeZone", out _, out var zoneNode) ? ReadZone(zoneNode) : "UTC";
        var triggers = map.TryGet("triggers", out _, out var triggersNode) ? ReadTriggers(triggersNode) : [RunTrigger.Push, RunTrigger.Drift, RunTrigger.Manual];
        var name = map.TryGet("name", out _, out var nameNode) ? _reader.ExpectScalar(nameNode, "windows[].name", "name: weekend-freeze")?.Value : null;
        if (diagnostics.Skip(mark).Any(d => d.Severity == DiagnosticSeverity.Error) || kind is null || schedule is null || duration is null || zone is null || triggers is null)
        {
            return null;
        }

        return new SyncWindow
        {
            Kind = kind.Value,
            Schedule = schedule,
            Duration = duration.Value,
            TimeZone = zone,
            Triggers = triggers,
            Name = name,
            Source = new SourceLocation(file, map.Location.Line, 0).ToString(),
        };
    }

    private string? ReadSchedule(YamlNode node)
    {
        if (_reader.ExpectScalar(node, "windows[].schedule", "schedule: \"0 8 * * 1-5\"") is not { } scalar)
        {
            return null;
        }

        if (SyncWindowSchedule.ParseCron(scalar.Value) is not { } cron)
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"windows[].schedule '{scalar.Value}' is not a 5-field cron expression.",
                "Write minute hour day-of-month month day-of-week, e.g. \"0 8 * * 1-5\" (08:00 Monday to Friday).");
            return null;
        }

        // A schedule that never fires (30 February) would make an allow window that never opens: every job deferred forever.
        var from = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var limit = from + SyncWindowSchedule.Horizon;
        if (cron.GetNextOccurrence(from, limit) >= limit)
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"windows[].schedule '{scalar.Value}' never fires.",
                "Name a date that exists, e.g. \"0 0 28 2 *\" rather than 30 February.");
            return null;
        }

        return scalar.Value;
    }

    private TimeSpan? ReadDuration(YamlNode node)
    {
        if (_reader.ExpectScalar(node, "windows[].duration", "duration: 10h") is not { } scalar)
        {
            return null;
        }

        var parsed = DriftIntervalParser.Parse(scalar.Value);
        if (parsed is null || parsed < TimeSpan.FromMinutes(1) || parsed > MaxDuration)
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"windows[].duration '{scalar.Value}' is not a duration from 1 minute to 7 days.",
                "Write 90m, 10h, 2d (or ISO-8601 such as PT10H); for a longer freeze use suspended: { reason: ..., until: ... }.");
            return null;
        }

        return parsed;
    }

    private string? ReadZone(YamlNode node)
    {
        if (_reader.ExpectScalar(node, "windows[].timeZone", "timeZone: Europe/Berlin") is not { } scalar)
        {
            return null;
        }

        if (SyncWindowSchedule.FindZone(scalar.Value) is null)
        {
            var hint = SyncWindowSchedule.FindZone("Europe/Berlin") is null
                ? "This machine has no time zone database: install tzdata (apt-get install tzdata) on the reconciler's host."
                : "Write an IANA time zone id such as Europe/Berlin, America/New_York or UTC.";
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"windows[].timeZone '{scalar.Value}' is not a known time zone.", hint);
            return null;
        }

        return scalar.Value;
    }

    private List<RunTrigger>? ReadTriggers(YamlNode node)
    {
        if (_reader.ExpectList(node, "windows[].triggers", "triggers: [push, drift, manual]") is not { } list)
        {
            return null;
        }

        var triggers = new List<RunTrigger>();
        foreach (var item in list.Items)
        {
            if (_reader.ReadEnum(item, "windows[].triggers[]", TriggerNames) is { } trigger && !triggers.Contains(trigger))
            {
                triggers.Add(trigger);
            }
        }

        if (list.Items.Count == 0)
        {
            Error(DiagnosticCodes.MissingField, list.Location, "windows[].triggers is empty: the window would govern nothing.", "List push, drift and/or manual, or leave triggers out for all three.");
        }

        return triggers;
    }

    private YamlNode? Required(YamlMap map, string field, string example)
    {
        if (map.TryGet(field, out _, out var node))
        {
            return node;
        }

        Error(DiagnosticCodes.MissingField, map.Location, $"The sync window has no '{field}'.", $"Add {example}.");
        return null;
    }

    private void Error(string code, SourceLocation location, string message, string hint) =>
        diagnostics.Add(Diagnostic.Error(code, location, message, hint));
}
