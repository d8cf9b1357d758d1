using System.Globalization;
using System.Net;
using System.Text;

namespace GitOps.Hosting.Http.StatusPage;

/// <summary>HTML helpers: every piece of data goes through <see cref="Encode"/> (names and commit messages are user input).</summary>
public static class Html
{
    /// <summary>HTML-encodes text for element content and quoted attribute values (&lt; &gt; &amp; " ').</summary>
    /// <param name="text">Any text; null is empty.</param>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A time as the page shows it: UTC, to the second.</summary>
    /// <param name="time">The time, or null for a dash.</param>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>A whole page: doctype, inline style, heading and body. No external assets, no script.</summary>
    /// <param name="title">The title (encoded here).</param>
    /// <param name="body">The body HTML (already encoded).</param>
    /// <param name="generatedAt">When the page was rendered.</param>
    public static string Page(string title, string body, DateTimeOffset generatedAt)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<header><h1>").Append(Encode(title)).Append("</h1><p class=\"muted\">Generated ").Append(Encode(Time(generatedAt)))
            .Append("</p></header><main>").Append(body).Append("</main></body></html>\n");
        return html.ToString();
    }

    private const string Style =
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#f6f8fa}" +
        "header{background:#24292f;color:#fff;padding:12px 24px}header h1{margin:0;font-size:20px}header .muted{color:#c9d1d9}" +
        "main{padding:16px 24px}h2{font-size:16px;margin:24px 0 8px}" +
        "table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d7de}" +
        "th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d0d7de;vertical-align:top;font-size:14px}" +
        "th{background:#eaeef2}.muted{color:#57606a;font-size:13px}code,pre{font-family:ui-monospace,monospace;font-size:13px}" +
        "pre{margin:0;white-space:pre-wrap;word-break:break-word}" +
        ".state{display:inline-block;white-space:nowrap;padding:2px 8px;border-radius:10px;font-weight:600;font-size:12px;color:#fff;background:#6e7781}" +
        ".state-in-sync{background:#1a7f37}.state-drifted{background:#9a6700}.state-failing{background:#cf222e}" +
        ".state-suspended{background:#6e7781}.state-reconciling{background:#0969da}" +
        ".outcome-failed,.outcome-invalid,.outcome-policydenied{color:#cf222e;font-weight:600}.outcome-applied,.outcome-succeeded{color:#1a7f37;font-weight:600}.outcome-skipped{color:#9a6700}" +
        ".live{color:#cf222e}.desired{color:#1a7f37}.secret{font-style:italic;color:#57606a}" +
        "a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}";
}
