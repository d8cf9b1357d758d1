using System.Globalization;
using System.Text;
using GitOps.Core.Runs;

namespace GitOps.Hosting.Http.StatusPage;

/// <summary>
/// The run page's out-of-band sections: who changed each resource outside git (<c>table#changed-by</c>), and, for a run
/// narrowed to resources named by ARM events, what it observed and why (<c>table#scope</c>). The names come from events
/// anyone able to write the events queue could forge, so they are encoded like every other value and never linked.
/// </summary>
internal static class ChangedByHtml
{
    /// <summary>The sections, or empty when the run has neither.</summary>
    public static string Sections(RunRecord run)
    {
        var html = new StringBuilder();
        if (run.ChangedBy is { Count: > 0 } changes)
        {
            html.Append("<h2>Changed out of band</h2><table id=\"changed-by\"><thead><tr><th>Resource</th><th>By</th><th>Operation</th><th>When</th><th>Correlation id</th><th>Found by</th></tr></thead><tbody>");
            foreach (var change in changes)
            {
                var actor = change.Actor;
                var who = new StringBuilder(Html.Encode(actor.Display));
                if (actor.AppId is { } app && actor.Name is not null)
                {
                    who.Append("<br><span class=\"muted\">app ").Append(Html.Encode(app)).Append("</span>");
                }

                if (actor.ObjectId is { } objectId)
                {
                    who.Append("<br><span class=\"muted\">object ").Append(Html.Encode(objectId)).Append("</span>");
                }

                html.Append("<tr class=\"changed\"><td><code>").Append(Html.Encode(change.ResourceId)).Append("</code></td><td class=\"actor\">").Append(who)
                    .Append("</td><td>").Append(Html.Encode(change.Operation ?? change.Kind?.ToString().ToLowerInvariant()))
                    .Append("</td><td>").Append(Html.Encode(change.ChangedAt is { } at ? Html.Time(at) : string.Empty))
                    .Append("</td><td><code>").Append(Html.Encode(change.CorrelationId)).Append("</code></td><td>").Append(Html.Encode(change.Source)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        if (run.Scope is { } scope)
        {
            html.Append("<h2>Observed</h2><p id=\"scope-summary\">")
                .Append(Html.Encode(string.Create(CultureInfo.InvariantCulture, $"{scope.Reason}: {scope.ObservedCount} declared resource(s) observed, {scope.NotDeclaredCount} not declared here (ignored).")))
                .Append("</p><table id=\"scope\"><thead><tr><th>Resource</th><th>Why</th></tr></thead><tbody>");
            foreach (var observed in scope.Observed)
            {
                html.Append("<tr><td><code>").Append(Html.Encode(observed.Id)).Append("</code></td><td>").Append(Html.Encode(observed.Why)).Append("</td></tr>");
            }

            foreach (var ignored in scope.NotDeclared)
            {
                html.Append("<tr class=\"muted\"><td><code>").Append(Html.Encode(ignored)).Append("</code></td><td>not declared (ignored)</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        return html.ToString();
    }
}
