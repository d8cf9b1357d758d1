using GitOps.Hosting.Http;
using GitOps.Hosting.Http.StatusPage;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The status page (<c>/api/status</c>, <c>/api/status/runs/{runId}</c>): server-rendered HTML behind the same
/// authentication as the api, sent with headers that forbid script and external assets (<see cref="HttpAnswer.Html"/>).
/// </summary>
/// <param name="api">Reads the environments and runs the pages show.</param>
/// <param name="timeProvider">Clock (the pages show ages).</param>
public sealed class StatusPageHandler(ApiHandler api, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Answers one status page request.</summary>
    /// <param name="call">The request.</param>
    /// <param name="access">Who may call, as the host decides.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public async Task<HttpAnswer> HandleAsync(HttpCall call, ApiAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(access);
        if (access.Authenticate(call) is null)
        {
            return ApiHandler.Unauthorized();
        }

        var s = call.Segments;
        if (!string.Equals(call.Method, "GET", StringComparison.OrdinalIgnoreCase) || s.Count is not (1 or 3) || s[0] != "status" || (s.Count == 3 && s[1] != "runs"))
        {
            return HttpAnswer.Html(404, Html.Page("Not found", "<p>No such page.</p>", _time.GetUtcNow()));
        }

        var links = LinkQuery(call);
        if (s.Count == 1)
        {
            return HttpAnswer.Html(200, await api.StatusPageAsync(links, call.QueryValue("after"), cancellationToken).ConfigureAwait(false));
        }

        return await api.RunStatusPageAsync(s[2], links, cancellationToken).ConfigureAwait(false) is { } page
            ? HttpAnswer.Html(200, page)
            : HttpAnswer.Html(404, Html.Page("Run not found", $"<p>No run '{Html.Encode(s[2])}'.</p>", _time.GetUtcNow()));
    }

    /// <summary>The Functions host's <c>?code=</c> key, kept on the page's links so navigation stays authorized.</summary>
    private static string LinkQuery(HttpCall call) =>
        call.QueryValue("code") is { Length: > 0 } code ? "?code=" + Uri.EscapeDataString(code) : string.Empty;
}
