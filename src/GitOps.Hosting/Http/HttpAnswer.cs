using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace GitOps.Hosting.Http;

/// <summary>A handler's HTTP answer, whichever host sends it: status, content type, body and extra headers.</summary>
/// <param name="StatusCode">The status.</param>
/// <param name="ContentType">The content type, with its charset.</param>
/// <param name="Body">The body text.</param>
/// <param name="Headers">Extra headers (the status page's CSP).</param>
public sealed record HttpAnswer(int StatusCode, string ContentType, string Body, IReadOnlyDictionary<string, string> Headers)
{
    private const string JsonType = "application/json; charset=utf-8";

    // The status page is server-rendered HTML with inline CSS and no script; these headers forbid anything else
    // (script, external assets, framing, caching), so even a mistake in encoding could not run script.
    private static readonly Dictionary<string, string> s_htmlHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ["X-Content-Type-Options"] = "nosniff",
        ["Cache-Control"] = "no-store",
    };

    /// <summary>A JSON answer.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="body">The document.</param>
    public static HttpAnswer Json(int statusCode, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new(statusCode, JsonType, body.ToJsonString(), new Dictionary<string, string>());
    }

    /// <summary>A JSON error: <c>{"status": …, "message": …}</c>.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="status">A short word (<c>bad request</c>).</param>
    /// <param name="message">What went wrong and what to do.</param>
    public static HttpAnswer Error(int statusCode, string status, string message) =>
        Json(statusCode, new JsonObject { ["status"] = status, ["message"] = message });

    /// <summary>An HTML page with the status page's restrictive headers.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="html">The whole document.</param>
    public static HttpAnswer Html(int statusCode, string html) => new(statusCode, "text/html; charset=utf-8", html, s_htmlHeaders);

    /// <summary>Writes the answer to an ASP.NET Core response (both hosts use ASP.NET Core).</summary>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        await response.WriteAsync(Body, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
    }
}
