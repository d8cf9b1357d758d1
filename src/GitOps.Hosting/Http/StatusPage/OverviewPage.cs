using System.Text;
using GitOps.Core.Runs;

namespace GitOps.Hosting.Http.StatusPage;

/// <summary>Renders <c>GET /api/status</c>: every environment with its state and last applied commit, and recent runs.</summary>
public static class OverviewPage
{
    /// <summary>The page's HTML.</summary>
    /// <param name="environments">Stored environment states (any order; shown sorted by key).</param>
    /// <param name="recentRuns">Recent runs, newest first.</param>
    /// <param name="generatedAt">When the page is rendered.</param>
    /// <param name="linkQuery">A query string to keep on links (e.g. the Functions <c>?code=</c> key), or empty.</param>
    public static string Render(IReadOnlyList<EnvironmentState> environments, IReadOnlyList<RunRecord> recentRuns, DateTimeOffset generatedAt, string linkQuery = "")
    {
        ArgumentNullException.ThrowIfNull(recentRuns);
        return Render(environments, recentRuns.Select(r => RunSummary.Of(r)).ToList(), generatedAt, linkQuery, next: null);
    }

    /// <summary>The page's HTML, with a page of runs from the ledger.</summary>
    /// <param name="environments">Stored environment states (any order; shown sorted by key).</param>
    /// <param name="recentRuns">A page of runs, newest first.</param>
    /// <param name="generatedAt">When the page is rendered.</param>
    /// <param name="linkQuery">A query string to keep on links (e.g. the Functions <c>?code=</c> key), or empty.</param>
    /// <param name="next">The token of the next (older) page, or null: shown as an "Older runs" link.</param>
    public static string Render(IReadOnlyList<EnvironmentState> environments, IReadOnlyList<RunSummary> recentRuns, DateTimeOffset generatedAt, string linkQuery, string? next)
    {
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentNullException.ThrowIfNull(recentRuns);
        var body = new StringBuilder();
        body.Append("<h2>Environments</h2>");
        if (environments.Count == 0)
        {
            body.Append("<p class=\"muted\" id=\"no-environments\">No environment has been reconciled yet.</p>");
        }
        else
        {
            body.Append("<table id=\"environments\"><thead><tr><th>Environment</th><th>State</th><th>Last applied commit</th><th>Last run</th><th>Condition</th></tr></thead><tbody>");
            foreach (var state in environments.OrderBy(e => e.EnvironmentKey, StringComparer.Ordinal))
            {
                var status = EnvironmentStatusRules.Of(state);
                var ready = state.Conditions.FirstOrDefault(c => c.Type == Conditions.Ready);
                body.Append("<tr class=\"environment\" data-environment=\"").Append(Html.Encode(state.EnvironmentKey)).Append("\">")
                    .Append("<td class=\"name\">").Append(Html.Encode(state.EnvironmentKey)).Append("</td>")
                    .Append("<td>").Append(StateBadge(status)).Append("</td>")
                    .Append("<td class=\"commit\">").Append(Commit(state.LastApplied, state.LastAppliedAt)).Append("</td>")
                    .Append("<td class=\"last-run\">");
                if (state.LastRunId is { } runId)
                {
                    body.Append(RunLink(runId, linkQuery)).Append("<br>").Append(Outcome(state.LastOutcome))
                        .Append(" <span class=\"muted\">").Append(Html.Encode(Html.Time(state.LastRunAt))).Append("</span>");
                }
                else
                {
                    body.Append("<span class=\"muted\">none</span>");
                }

                body.Append("</td><td class=\"condition\">");
                if (ready is not null)
                {
                    body.Append("<code>").Append(Html.Encode(ready.Reason)).Append("</code> ").Append(Html.Encode(ready.Message));
                }

                body.Append(SyncWindowHtml.Line(state, generatedAt));
                body.Append("</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("<h2>Recent runs</h2>");
        if (recentRuns.Count == 0)
        {
            body.Append("<p class=\"muted\" id=\"no-runs\">No runs yet.</p>");
        }
        else
        {
            body.Append("<table id=\"runs\"><thead><tr><th>Run</th><th>Environment</th><th>Trigger</th><th>Outcome</th><th>Commit</th><th>Started</th><th>Summary</th></tr></thead><tbody>");
            foreach (var run in recentRuns)
            {
                body.Append("<tr class=\"run\" data-run=\"").Append(Html.Encode(run.RunId)).Append("\">")
                    .Append("<td>").Append(RunLink(run.RunId, linkQuery)).Append("</td>")
                    .Append("<td>").Append(Html.Encode(run.EnvironmentKey)).Append("</td>")
                    .Append("<td>").Append(Html.Encode(run.Trigger.ToString().ToLowerInvariant())).Append("</td>")
                    .Append("<td>").Append(Outcome(run.Outcome)).Append("</td>")
                    .Append("<td class=\"commit\">").Append(Commit(run.Commit, null)).Append("</td>")
                    .Append("<td>").Append(Html.Encode(Html.Time(run.StartedAt))).Append("</td>")
                    .Append("<td>").Append(Html.Encode(run.Summary)).Append("</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        if (next is not null)
        {
            body.Append("<p><a id=\"older-runs\" href=\"").Append(Html.Encode(OlderRunsPath(next, linkQuery))).Append("\">Older runs</a></p>");
        }

        return Html.Page("GitOps status", body.ToString(), generatedAt);
    }

    /// <summary>A state badge: <c>&lt;span class="state state-in-sync" data-state="in-sync"&gt;in sync&lt;/span&gt;</c>.</summary>
    /// <param name="status">The state.</param>
    public static string StateBadge(EnvironmentStatus status) =>
        $"<span class=\"state state-{status.Slug()}\" data-state=\"{status.Slug()}\">{Html.Encode(status.Label())}</span>";

    /// <summary>A commit: short SHA, author and subject (all encoded), or a dash.</summary>
    /// <param name="commit">The commit, or null.</param>
    /// <param name="appliedAt">When it was applied, if shown.</param>
    public static string Commit(CommitInfo? commit, DateTimeOffset? appliedAt)
    {
        if (commit is null)
        {
            return "<span class=\"muted\">—</span>";
        }

        var html = new StringBuilder()
            .Append("<code class=\"sha\" title=\"").Append(Html.Encode(commit.Sha)).Append("\">").Append(Html.Encode(commit.ShortSha)).Append("</code> ")
            .Append("<span class=\"subject\">").Append(Html.Encode(commit.Subject)).Append("</span><br>")
            .Append("<span class=\"muted\">by <span class=\"author\">").Append(Html.Encode(commit.Author)).Append("</span>");
        if (appliedAt is not null)
        {
            html.Append(", applied ").Append(Html.Encode(Html.Time(appliedAt)));
        }

        return html.Append("</span>").ToString();
    }

    /// <summary>A link to a run's page.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="linkQuery">A query string to keep, or empty.</param>
    public static string RunLink(string runId, string linkQuery) =>
        $"<a class=\"run-link\" href=\"{Html.Encode(RunPath(runId, linkQuery))}\"><code>{Html.Encode(runId)}</code></a>";

    /// <summary>The relative URL of a run's page (path segment escaped).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="linkQuery">A query string to keep, or empty.</param>
    public static string RunPath(string runId, string linkQuery) => $"/api/status/runs/{Uri.EscapeDataString(runId)}{linkQuery}";

    /// <summary>The relative URL of the status page's next run page (the <c>?code=</c> key kept).</summary>
    /// <param name="next">The next page's token.</param>
    /// <param name="linkQuery">A query string to keep (<c>?code=…</c>), or empty.</param>
    public static string OlderRunsPath(string next, string linkQuery) =>
        $"/api/status{(linkQuery.Length == 0 ? "?" : linkQuery + "&")}after={Uri.EscapeDataString(next)}";

    /// <summary>An outcome, styled by kind.</summary>
    /// <param name="outcome">The outcome, or null.</param>
    public static string Outcome(RunOutcome? outcome) => outcome is { } o
        ? $"<span class=\"outcome outcome-{o.ToString().ToLowerInvariant()}\">{Html.Encode(o.ToString())}</span>"
        : "<span class=\"muted\">—</span>";
}
