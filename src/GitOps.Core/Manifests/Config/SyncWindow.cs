using GitOps.Core.Runs;

namespace GitOps.Core.Manifests.Config;

/// <summary>Whether a sync window lets runs through or holds them back (Argo CD's <c>allow</c> and <c>deny</c>).</summary>
public enum SyncWindowKind
{
    /// <summary>Runs of the governed triggers may change Azure only while an allow window is open.</summary>
    Allow,

    /// <summary>Runs of the governed triggers may not change Azure while the window is open; deny wins over allow.</summary>
    Deny,
}

/// <summary>
/// One sync window of an environment (<c>windows:</c> in <c>gitops.yaml</c>, read from the default branch): it opens
/// at each firing of a 5-field cron schedule in its time zone and stays open for its duration. Kept in the
/// environment state as written, so the status page and the CLI can say when the next window opens.
/// </summary>
public sealed record SyncWindow
{
    /// <summary>Allow or deny.</summary>
    public required SyncWindowKind Kind { get; init; }

    /// <summary>The 5-field cron schedule (minute hour day-of-month month day-of-week) of the window's start, in <see cref="TimeZone"/>.</summary>
    public required string Schedule { get; init; }

    /// <summary>How long the window stays open after each start (elapsed time, so a DST change inside a window does not stretch it).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The IANA time zone of <see cref="Schedule"/> (e.g. <c>Europe/Berlin</c>).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The triggers it governs (<see cref="RunTrigger.Push"/>, <see cref="RunTrigger.Drift"/>, <see cref="RunTrigger.Manual"/>; a rollback counts as manual).</summary>
    public IReadOnlyList<RunTrigger> Triggers { get; init; } = [RunTrigger.Push, RunTrigger.Drift, RunTrigger.Manual];

    /// <summary>An optional name shown in records and on the status page.</summary>
    public string? Name { get; init; }

    /// <summary>Where it is declared (<c>gitops.yaml:12</c>), for messages.</summary>
    public string? Source { get; init; }

    /// <summary>How the window is named in messages: its name, else its kind, schedule and zone.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Label => Name is { Length: > 0 } name
        ? $"{Kind.ToString().ToLowerInvariant()} window '{name}'"
        : $"{Kind.ToString().ToLowerInvariant()} window '{Schedule}' ({TimeZone})";
}
