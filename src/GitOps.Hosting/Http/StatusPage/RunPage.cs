using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using GitOps.Core.Runs;

namespace GitOps.Hosting.Http.StatusPage;

/// <summary>Renders <c>GET /api/status/runs/{runId}</c>: the run, its plan with field-level diffs, and per-resource results.</summary>
public static class RunPage
{
    /// <summary>The placeholder shown for a redacted (secret) value.</summary>
    public const string Secret = "(secret)";

    // Values are HTML-encoded after serialization, so JSON's own HTML escaping (\u003C) would only hurt readability.
    private static readonly JsonSerializerOptions ValueJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The page's HTML.</summary>
    /// <param name="run">The run record.</param>
    /// <param name="generatedAt">When the page is rendered.</param>
    /// <param name="linkQuery">A query string to keep on links (e.g. the Functions <c>?code=</c> key), or empty.</param>
    public static string Render(RunRecord run, DateTimeOffset generatedAt, string linkQuery = "")
    {
        ArgumentNullException.ThrowIfNull(run);
        var body = new StringBuilder();
        body.Append("<p><a id=\"back\" href=\"").Append(Html.Encode("/api/status" + linkQuery)).Append("\">← all environments</a></p>")
            .Append("<table id=\"run\"><tbody>")
            .Append(Row("Environment", Html.Encode(run.EnvironmentKey)))
            .Append(Row("Trigger", Html.Encode(run.Trigger.ToString().ToLowerInvariant()) + (run.RequestedBy is { } by ? " by " + Html.Encode(by) : string.Empty)))
            .Append(Row("Outcome", OverviewPage.Outcome(run.Outcome)))
            .Append(Row("Summary", Html.Encode(run.Summary)))
            .Append(RunSummary.ChangedByOf(run) is { } changedBy ? Row("Changed by", $"<span id=\"changed-by-actor\">{Html.Encode(changedBy)}</span>") : string.Empty)
            .Append(Row("Started", Html.Encode(Html.Time(run.StartedAt))))
            .Append(Row("Finished", Html.Encode(Html.Time(run.FinishedAt))))
            .Append(Row("Attempt", run.Attempt.ToString(CultureInfo.InvariantCulture)));
        if (run.Commit is { } commit)
        {
            body.Append(Row("Commit", $"<code class=\"sha\">{Html.Encode(commit.Sha)}</code>"))
                .Append(Row("Author", $"<span class=\"author\">{Html.Encode(commit.Author)}</span>"))
                .Append(Row("Message", $"<pre class=\"message\">{Html.Encode(commit.Message)}</pre>"));
        }
        else if (run.RequestedCommit is { } requested)
        {
            body.Append(Row("Requested commit", $"<code>{Html.Encode(requested)}</code>"));
        }

        if (run.PullRequest is { } pr)
        {
            body.Append(Row("Pull request", $"<span id=\"pull-request\">#{pr.Number.ToString(CultureInfo.InvariantCulture)} ({Html.Encode(pr.Provider)}) into {Html.Encode(pr.TargetBranch)}, head <code>{Html.Encode(pr.HeadSha)}</code></span>"));
        }

        if (run.Preview is { } preview)
        {
            var css = preview.Matches ? "preview-match" : "preview-differs";
            body.Append(Row("Preview", $"<span id=\"preview\" class=\"{css}\">{(preview.Matches ? "✅ " : "⚠️ ")}{Html.Encode(preview.Summary)}</span>"));
        }

        body.Append("</tbody></table>");
        body.Append(ChangedByHtml.Sections(run));
        List("errors", "Errors", run.Errors, body);
        List("warnings", "Warnings", run.Warnings, body);
        Segments(run, body);
        Plan(run, run.Plan, body, linkQuery);
        Results(run, body);
        body.Append(HealthHtml.Section(run));
        return Html.Page($"Run {run.RunId}", body.ToString(), generatedAt);
    }

    /// <summary>A diff value: its JSON text, "(absent)" for null, or <see cref="Secret"/> when redacted.</summary>
    /// <param name="value">The value.</param>
    /// <param name="redacted">True when the value is a secret.</param>
    public static string Value(JsonNode? value, bool redacted) =>
        redacted ? $"<span class=\"secret\">{Secret}</span>"
        : value is null ? "<span class=\"muted\">(absent)</span>"
        : $"<code>{Html.Encode(value.ToJsonString(ValueJson))}</code>";

    private static string Row(string label, string html) => $"<tr><th>{Html.Encode(label)}</th><td>{html}</td></tr>";

    private static void List(string id, string title, IReadOnlyList<string> items, StringBuilder body)
    {
        if (items.Count == 0)
        {
            return;
        }

        body.Append("<h2>").Append(Html.Encode(title)).Append("</h2><ul id=\"").Append(id).Append("\">");
        foreach (var item in items)
        {
            body.Append("<li>").Append(Html.Encode(item)).Append("</li>");
        }

        body.Append("</ul>");
    }

    // A run that spent its time budget continued in follow-up jobs: one run, its segments in order.
    private static void Segments(RunRecord run, StringBuilder body)
    {
        if (run.Segments is not { Count: > 0 } segments)
        {
            return;
        }

        body.Append("<h2>Segments</h2><table id=\"segments\"><thead><tr><th>#</th><th>Started</th><th>Ended</th><th>How</th><th>Observed</th><th>Writes</th><th>What it did</th></tr></thead><tbody>");
        foreach (var segment in segments)
        {
            body.Append("<tr class=\"segment\"><td>").Append(segment.Number.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(Html.Encode(Html.Time(segment.StartedAt)))
                .Append("</td><td>").Append(Html.Encode(Html.Time(segment.EndedAt)))
                .Append("</td><td class=\"segment-end\">").Append(Html.Encode(segment.End.ToString().ToLowerInvariant()))
                .Append("</td><td>").Append(segment.Observed.ToString("N0", CultureInfo.InvariantCulture))
                .Append(segment.Reobserved > 0 ? FormattableString.Invariant($" ({segment.Reobserved:N0} read again)") : string.Empty)
                .Append("</td><td>").Append(segment.Writes.ToString("N0", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(Html.Encode(segment.Summary)).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
    }

    private static void Plan(RunRecord run, RecordedPlan? plan, StringBuilder body, string linkQuery)
    {
        body.Append("<h2>Plan</h2>");
        if (plan is null)
        {
            body.Append("<p class=\"muted\" id=\"no-plan\">No plan was made.</p>");
            return;
        }

        var s = plan.Summary;
        body.Append("<p id=\"plan-summary\">")
            .Append(Html.Encode(FormattableString.Invariant($"{s.Create} create, {s.Update} update, {s.Delete} delete, {s.Detach} detach, {s.Noop} noop, {s.Drift} drift")))
            .Append("</p>");
        body.Append("<table id=\"changes\"><thead><tr><th>Resource</th><th>Action</th><th>Field</th><th>Live</th><th>Desired</th></tr></thead><tbody>");
        foreach (var change in plan.Changes)
        {
            var head = new StringBuilder()
                .Append("<td class=\"resource\"><code>").Append(Html.Encode(change.Id)).Append("</code><br><span class=\"muted\">")
                .Append(Html.Encode(change.Type)).Append('@').Append(Html.Encode(change.ApiVersion)).Append("</span></td>")
                .Append("<td class=\"action\">").Append(Html.Encode(change.Action.ToWireName()));
            if (change.Reason is { } reason)
            {
                head.Append("<br><span class=\"muted\">").Append(Html.Encode(reason)).Append("</span>");
            }

            head.Append("</td>");
            if (change.Diffs.Count == 0)
            {
                body.Append("<tr class=\"change\">").Append(head).Append("<td colspan=\"3\" class=\"muted\">no field differences</td></tr>");
                continue;
            }

            for (var i = 0; i < change.Diffs.Count; i++)
            {
                var diff = change.Diffs[i];
                body.Append(i == 0 ? "<tr class=\"change\">" : "<tr class=\"change-more\"><td></td><td></td>").Append(i == 0 ? head.ToString() : string.Empty)
                    .Append("<td class=\"path\"><code>").Append(Html.Encode(diff.Path)).Append("</code></td>")
                    .Append("<td class=\"live\">").Append(Value(diff.Live, diff.Redacted)).Append("</td>")
                    .Append("<td class=\"desired\">").Append(Value(diff.Desired, diff.Redacted)).Append("</td></tr>");
            }
        }

        body.Append("</tbody></table>");

        // Records since issue 19 count no-ops instead of listing them, and list at most 200 changes.
        var unlisted = s.Noop - plan.Changes.Count(c => c.Action == PlanAction.Noop);
        if (unlisted > 0 || plan.Unlisted > 0)
        {
            body.Append("<p id=\"plan-unlisted\" class=\"muted\">")
                .Append(Html.Encode(FormattableString.Invariant($"{unlisted:N0} unchanged resource(s) counted, not listed{(plan.Unlisted > 0 ? $"; {plan.Unlisted:N0} more change(s) not listed" : string.Empty)}.")));
            if (run.FullPlan is not null)
            {
                body.Append(" <a id=\"full-plan\" href=\"").Append(Html.Encode($"/api/runs/{Uri.EscapeDataString(run.RunId)}/plan{linkQuery}")).Append("\">The full plan (JSON)</a>.");
            }

            body.Append("</p>");
        }

        if (plan.Notes.Count > 0)
        {
            List("notes", "Notes", plan.Notes, body);
        }
    }

    private static void Results(RunRecord run, StringBuilder body)
    {
        body.Append("<h2>Results</h2>");
        if (run.Results.Count == 0)
        {
            body.Append("<p class=\"muted\" id=\"no-results\">Nothing was applied.</p>");
            return;
        }

        body.Append("<table id=\"results\"><thead><tr><th>Resource</th><th>Action</th><th>Outcome</th><th>Error</th><th>Duration</th></tr></thead><tbody>");
        foreach (var result in run.Results)
        {
            body.Append("<tr class=\"result\"><td><code>").Append(Html.Encode(result.Id)).Append("</code></td>")
                .Append("<td>").Append(Html.Encode(result.Action.ToString().ToLowerInvariant())).Append("</td>")
                .Append("<td class=\"outcome-").Append(Html.Encode(result.Outcome.ToString().ToLowerInvariant())).Append("\">").Append(Html.Encode(result.Outcome.ToString())).Append("</td>")
                .Append("<td>");
            if (result.ErrorCode is not null || result.Message is not null)
            {
                body.Append("<code>").Append(Html.Encode(result.ErrorCode)).Append("</code> ").Append(Html.Encode(result.Message));
            }

            body.Append("</td><td>").Append(Html.Encode(result.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture))).Append(" s</td></tr>");
        }

        body.Append("</tbody></table>");
        if (run.ResultCounts is { Unlisted: > 0 } counts)
        {
            body.Append("<p id=\"results-unlisted\" class=\"muted\">")
                .Append(Html.Encode(FormattableString.Invariant($"{counts.Succeeded:N0} succeeded, {counts.Failed:N0} failed, {counts.Skipped:N0} skipped; {counts.Unlisted:N0} not listed here (failures are listed first).")))
                .Append("</p>");
        }
    }
}
