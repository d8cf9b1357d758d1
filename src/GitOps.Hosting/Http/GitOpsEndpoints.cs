using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Hosting.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GitOps.Hosting.Http;

/// <summary>
/// The HTTP functions as ASP.NET Core endpoints, shared by the Functions custom handler (which receives the raw
/// request forwarded by the host) and <c>gitops serve</c>. Routes live under <c>/api</c>, the host's default prefix.
/// </summary>
public static class GitOpsEndpoints
{
    /// <summary>The key under which the authenticated caller is kept in <see cref="HttpContext.Items"/>.</summary>
    private const string ActorItem = "GitOps.Actor";

    /// <summary>Maps <c>/api/webhook</c>, the <c>/api/…</c> operations and the HTML status page <c>/api/status</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <param name="runtime">The composed functions.</param>
    /// <param name="access">Who may call <c>/api</c> (every route but the webhook, which authenticates itself) and how the caller is named.</param>
    public static IEndpointRouteBuilder MapGitOpsEndpoints(this IEndpointRouteBuilder app, GitOpsRuntime runtime, ApiAccess access)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(access);

        // The Functions host polls GET / until the handler answers; any answer means ready.
        app.MapGet("/", () => Results.Text("GitOpsFunctions handler is running."));

        app.MapPost("/api/webhook/{provider?}", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            var body = await request.ReadBoundedAsync(WebhookFunction.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return Json(413, new JsonObject { ["status"] = "too large", ["message"] = $"The body exceeds {WebhookFunction.MaxBodyBytes} bytes." });
            }

            var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))).ToList();
            var response = await runtime.Webhook.RunAsync(headers, body, cancellationToken).ConfigureAwait(false);
            return Json(response.StatusCode, response.Body);
        });

        var api = app.MapGroup("/api");

        // Authentication first, on every /api route (JSON and status pages, GET and POST): nothing else runs for a caller
        // without a valid key, not even name validation.
        api.AddEndpointFilter(async (context, next) =>
        {
            if (access.Authenticate(context.HttpContext.Request) is not { } actor)
            {
                return Results.Json(new { status = "unauthorized", message = $"Send an API key in the {ApiAccess.ApiKeyHeader} header." }, statusCode: 401);
            }

            context.HttpContext.Items[ActorItem] = actor;
            return await next(context).ConfigureAwait(false);
        });

        // An environment key from the URL that the stores refuse (not 'repository/environment' of plain names) is the
        // caller's mistake: answer 400 with the reason instead of a 500.
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (ArgumentException error)
            {
                return Results.Json(new { status = "bad request", message = error.Message }, statusCode: 400);
            }
        });

        api.MapGet("/environments", async (CancellationToken ct) => Results.Json(await runtime.Api.ListEnvironmentsAsync(ct).ConfigureAwait(false)));
        api.MapGet("/environments/{repository}/{environment}", async (string repository, string environment, CancellationToken ct) =>
            await runtime.Api.GetEnvironmentAsync($"{repository}/{environment}", ct).ConfigureAwait(false) is { } state
                ? Results.Json(state)
                : NotFound($"No state for environment {repository}/{environment}: it has not been reconciled yet."));
        api.MapGet("/environments/{repository}/{environment}/runs", (string repository, string environment, HttpContext http, CancellationToken ct) =>
            RunPageAsync(runtime, http, $"{repository}/{environment}", ct));
        api.MapPost("/environments/{repository}/{environment}/sync", (string repository, string environment, HttpRequest request, CancellationToken ct) =>
            CommandAsync(request, body => runtime.Commands.SyncAsync(repository, environment, Actor(request), body, ct), ct));
        api.MapPost("/environments/{repository}/{environment}/suspend", (string repository, string environment, HttpRequest request, CancellationToken ct) =>
            CommandAsync(request, body => runtime.Commands.SuspendAsync(repository, environment, Actor(request), body, ct), ct));
        api.MapPost("/environments/{repository}/{environment}/resume", (string repository, string environment, HttpRequest request, CancellationToken ct) =>
            CommandAsync(request, body => runtime.Commands.ResumeAsync(repository, environment, Actor(request), body, ct), ct));
        api.MapGet("/runs", (string? environment, HttpContext http, CancellationToken ct) => RunPageAsync(runtime, http, environment, ct));
        api.MapGet("/runs/{runId}", async (string runId, CancellationToken ct) =>
            await runtime.Api.GetRunAsync(runId, ct).ConfigureAwait(false) is { } run ? Results.Json(run) : NotFound($"No run '{runId}'."));

        // The status page: server-rendered HTML with inline CSS and no script; the CSP forbids anything else, so even
        // a mistake in encoding could not run script or load assets.
        api.MapGet("/status", async (string? after, HttpRequest request, CancellationToken ct) =>
            HtmlPage(200, await runtime.Api.StatusPageAsync(LinkQuery(request), after, ct).ConfigureAwait(false)));
        api.MapGet("/status/runs/{runId}", async (string runId, HttpRequest request, CancellationToken ct) =>
            await runtime.Api.RunStatusPageAsync(runId, LinkQuery(request), ct).ConfigureAwait(false) is { } page
                ? HtmlPage(200, page)
                : HtmlPage(404, StatusPage.Html.Page("Run not found", $"<p>No run '{StatusPage.Html.Encode(runId)}'.</p>", DateTimeOffset.UtcNow)));
        return app;
    }

    /// <summary>The caller the authentication filter established (it runs before every /api endpoint).</summary>
    private static string Actor(HttpRequest request) =>
        request.HttpContext.Items[ActorItem] as string ?? throw new InvalidOperationException("The api authentication filter did not run.");

    /// <summary>Reads the body within the api's limit (413 past it, without buffering the rest) and runs the operation.</summary>
    private static async Task<IResult> CommandAsync(HttpRequest request, Func<byte[], Task<ApiResponse>> operation, CancellationToken cancellationToken)
    {
        var body = await request.ReadBoundedAsync(ApiCommands.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        var response = body is null ? ApiCommands.TooLarge() : await operation(body).ConfigureAwait(false);
        return Json(response.StatusCode, response.Body);
    }

    /// <summary>
    /// A page of runs from the ledger: <c>?outcome=&amp;trigger=&amp;since=&amp;until=&amp;top=</c> (or <c>max</c>, default 50)
    /// <c>&amp;after=</c>. The body stays a JSON array; the next page's token is in <c>X-Next-Token</c> and a
    /// <c>Link: &lt;…&gt;; rel="next"</c> header.
    /// </summary>
    private static async Task<IResult> RunPageAsync(GitOpsRuntime runtime, HttpContext http, string? environmentKey, CancellationToken cancellationToken)
    {
        var q = http.Request.Query;
        var top = q["top"].FirstOrDefault() ?? q["max"].FirstOrDefault();
        int? size = top is null ? 50 : int.TryParse(top, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException("'top' must be a whole number.");
        var query = RunQuery.Parse(environmentKey, q["outcome"], q["trigger"], q["since"], q["until"], size, q["after"]);
        var (runs, next) = await runtime.Api.ListRunPageAsync(query, cancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            http.Response.Headers["X-Next-Token"] = next;
            var rest = string.Join('&', q.Where(p => p.Key != "after").SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? string.Empty)}")));
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}?{rest}{(rest.Length == 0 ? string.Empty : "&")}after={Uri.EscapeDataString(next)}>; rel=\"next\"";
        }

        return Results.Json(runs);
    }

    /// <summary>The Functions host's <c>?code=</c> key, kept on the page's links so navigation stays authorized.</summary>
    private static string LinkQuery(HttpRequest request) =>
        request.Query["code"].FirstOrDefault() is { Length: > 0 } code ? "?code=" + Uri.EscapeDataString(code) : string.Empty;

    private static IResult HtmlPage(int status, string html) => new HtmlResult(status, html);

    private static IResult NotFound(string message) => Results.Json(new { status = "not found", message }, statusCode: 404);

    private static IResult Json(int status, JsonObject body) =>
        Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8, status);
}
