using Microsoft.AspNetCore.Http;

namespace GitOps.Hosting.Http;

/// <summary>
/// A status page answer. The page is server-rendered HTML with inline CSS and no script, and the headers forbid
/// anything else (script, external assets, framing, caching), so even a mistake in encoding could not run script.
/// </summary>
/// <param name="status">The HTTP status.</param>
/// <param name="html">The whole document.</param>
internal sealed class HtmlResult(int status, string html) : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Cache-Control"] = "no-store";
        return response.WriteAsync(html, httpContext.RequestAborted);
    }
}
