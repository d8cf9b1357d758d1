using System.Text;
using GitOps.Core.Apply;
using GitOps.Core.Runs;

namespace GitOps.Hosting.Http.StatusPage;

/// <summary>The run page's health table: each resource the run wrote or found unhealthy, and why.</summary>
internal static class HealthHtml
{
    /// <summary>A <c>table#health</c>, or empty when the run judged no resource's health.</summary>
    public static string Section(RunRecord run)
    {
        if (run.Health is not { Count: > 0 } entries)
        {
            return string.Empty;
        }

        var html = new StringBuilder("<h2>Health</h2><table id=\"health\"><thead><tr><th>Resource</th><th>Health</th><th>Detail</th></tr></thead><tbody>");
        foreach (var health in entries)
        {
            var status = health.Status == HealthStatus.Healthy ? "healthy" : "unhealthy";
            html.Append("<tr class=\"health-").Append(status).Append("\"><td><code>").Append(Html.Encode(health.Id)).Append("</code></td><td>")
                .Append(status).Append("</td><td>").Append(Html.Encode(health.Detail)).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
