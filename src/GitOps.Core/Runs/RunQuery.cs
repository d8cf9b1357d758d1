using System.Globalization;

namespace GitOps.Core.Runs;

/// <summary>
/// What a run listing asks for: one environment or all, optional outcome, trigger and start-time window, a page
/// size and where to continue. Every filter is answered by the ledger's service, not by reading records.
/// </summary>
public sealed record RunQuery
{
    /// <summary>The page size when none is given.</summary>
    public const int DefaultTop = 20;

    /// <summary>The largest page.</summary>
    public const int MaxTop = 1000;

    /// <summary><c>repository/environment</c>, or null for every environment.</summary>
    public string? EnvironmentKey { get; init; }

    /// <summary>An environment name in any repository (when <see cref="EnvironmentKey"/> is null), or null.</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>Only runs that ended so.</summary>
    public RunOutcome? Outcome { get; init; }

    /// <summary>Only runs started so.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>Only runs started at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only runs started before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The page size, 1 to <see cref="MaxTop"/>.</summary>
    public int Top { get; init; } = DefaultTop;

    /// <summary>A <see cref="RunListPage.Next"/> token: continue after it.</summary>
    public string? After { get; init; }

    /// <summary>
    /// Builds a query from text (command-line options and URL query parameters share these rules): outcome and trigger
    /// by name (any case), times as ISO 8601 (UTC when no offset is given).
    /// </summary>
    /// <exception cref="ArgumentException">A value is not understood; the message says which and why.</exception>
    public static RunQuery Parse(string? environmentKey, string? outcome, string? trigger, string? since, string? until, int? top, string? after)
    {
        if (top is < 1 or > MaxTop)
        {
            throw new ArgumentException($"The page size must be 1 to {MaxTop}; got {top}.", nameof(top));
        }

        var query = new RunQuery
        {
            EnvironmentKey = string.IsNullOrEmpty(environmentKey) ? null : environmentKey,
            Outcome = ParseEnum<RunOutcome>(outcome, "outcome"),
            Trigger = ParseEnum<RunTrigger>(trigger, "trigger"),
            Since = ParseTime(since, "since"),
            Until = ParseTime(until, "until"),
            Top = top ?? DefaultTop,
            After = string.IsNullOrEmpty(after) ? null : after,
        };
        if (query.Since is { } from && query.Until is { } to && from >= to)
        {
            throw new ArgumentException("'since' must be earlier than 'until'.", nameof(since));
        }

        return query;
    }

    private static T? ParseEnum<T>(string? value, string name) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        // Names only: Enum.TryParse would also accept numbers, which are no outcome anyone wrote.
        var match = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        return match is not null
            ? Enum.Parse<T>(match)
            : throw new ArgumentException($"Unknown {name} '{Shorten(value)}'; use one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.", name);
    }

    private static DateTimeOffset? ParseTime(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new ArgumentException($"'{name}' must be an ISO 8601 time such as 2026-12-01T10:00:00Z; got '{Shorten(value)}'.", name);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
