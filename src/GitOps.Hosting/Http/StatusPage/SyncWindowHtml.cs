using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Hosting.Http.StatusPage;

/// <summary>
/// The status page's line about an environment's sync windows ("push, manual: closed by deny window 'weekend';
/// opens …"), evaluated at render time from the windows the last run read, so it never goes stale between runs.
/// </summary>
internal static class SyncWindowHtml
{
    /// <summary>A <c>div.sync-window</c>, or empty for an environment without windows.</summary>
    public static string Line(EnvironmentState state, DateTimeOffset now) =>
        SyncWindows.Describe(state.SyncWindows, now) is { } text
            ? $"<div class=\"sync-window muted\">Sync windows: {Html.Encode(text)}</div>"
            : string.Empty;
}
