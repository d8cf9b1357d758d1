using System.Text.Json.Nodes;
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
    /// <summary>Maps <c>/api/webhook</c>, the <c>/api/…</c> operations and the HTML status page <c>/api/status</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <param name="runtime">The composed functions.</param>
    /// <param name="apiKey">When set, <c>/api</c> operations (not the webhook, which authenticates itself) require <c>x-api-key</c>.</param>
    public static IEndpointRouteBuilder MapGitOpsEndpoints(this IEndpointRouteBuilder app, GitOpsRuntime runtime, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(runtime);

        // The Functions host polls GET / until the handler answers; any answer means ready.
        app.MapGet("/", () => Results.Text("GitOpsFunctions handler is running."));

        app.MapPost("/api/webhook/{provider?}", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            var body = await ReadBodyAsync(request, WebhookFunction.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return Json(413, new JsonObject { ["status"] = "too large", ["message"] = $"The body exceeds {WebhookFunction.MaxBodyBytes} bytes." });
            }

            var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))).ToList();
            var response = await runtime.Webhook.RunAsync(headers, body, cancellationToken).ConfigureAwait(false);
            return Json(response.StatusCode, response.Body);
        });

        var api = app.MapGroup("/api");

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
        if (!string.IsNullOrEmpty(apiKey))
        {
            api.AddEndpointFilter(async (context, next) =>
                System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers["x-api-key"].ToString()),
                    System.Text.Encoding.UTF8.GetBytes(apiKey))
                    ? await next(context).ConfigureAwait(false)
                    : Results.Json(new { status = "unauthorized", message = "Send the API key in the x-api-key header." }, statusCode: 401));
        }

        api.MapGet("/environments", async (CancellationToken ct) => Results.Json(await runtime.Api.ListEnvironmentsAsync(ct).ConfigureAwait(false)));
        api.MapGet("/environments/{repository}/{environment}", async (string repository, string environment, CancellationToken ct) =>
            await runtime.Api.GetEnvironmentAsync($"{repository}/{environment}", ct).ConfigureAwait(false) is { } state
                ? Results.Json(state)
                : NotFound($"No state for environment {repository}/{environment}: it has not been reconciled yet."));
        api.MapGet("/environments/{repository}/{environment}/runs", async (string repository, string environment, int? max, CancellationToken ct) =>
            Results.Json(await runtime.Api.ListRunsAsync($"{repository}/{environment}", max ?? 50, ct).ConfigureAwait(false)));
        api.MapPost("/environments/{repository}/{environment}/sync", async (string repository, string environment, HttpRequest request, CancellationToken ct) =>
        {
            if (runtime.Settings.FindRepository(repository) is null)
            {
                return NotFound($"No watched repository '{repository}'.");
            }

            if (!IsPlainName(environment))
            {
                return Results.Json(new { status = "bad request", message = $"'{environment}' is not an environment name: use letters, digits, '.', '_' or '-'." }, statusCode: 400);
            }

            var job = await runtime.Api.SyncAsync(repository, environment, request.Headers["x-requested-by"].FirstOrDefault(), ct).ConfigureAwait(false);
            return Results.Json(new { status = "enqueued", jobId = job.JobId, environment = job.EnvironmentKey }, statusCode: 202);
        });
        api.MapPost("/environments/{repository}/{environment}/suspend", async (string repository, string environment, HttpRequest request, CancellationToken ct) =>
        {
            if (CheckTarget(runtime, repository, environment) is { } rejected)
            {
                return rejected;
            }

            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct).ConfigureAwait(false) as JsonObject;
            }
            catch (System.Text.Json.JsonException error)
            {
                return BadRequest($"The body is not JSON ({error.Message}); send {{\"reason\": \"…\", \"until\": \"2026-12-01T00:00:00Z\"}}.");
            }

            var reason = (body?["reason"] as JsonValue)?.TryGetValue<string>(out var r) == true ? r : null;
            if (string.IsNullOrWhiteSpace(reason))
            {
                return BadRequest("A suspension needs a reason: send {\"reason\": \"…\"} (and optionally \"until\" and \"by\").");
            }

            DateTimeOffset? until = null;
            if (body?["until"] is JsonValue untilValue)
            {
                if (!untilValue.TryGetValue<string>(out var text) || !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return BadRequest("'until' must be an ISO-8601 time such as 2026-12-01T00:00:00Z.");
                }

                until = parsed;
            }

            var by = (body?["by"] as JsonValue)?.TryGetValue<string>(out var b) == true ? b : request.Headers["x-requested-by"].FirstOrDefault();
            try
            {
                var record = await runtime.Api.Control.SuspendAsync(repository, environment, reason, by ?? "api", until, ct).ConfigureAwait(false);
                return Results.Json(new { status = "suspended", environment = record.EnvironmentKey, runId = record.RunId, summary = record.Summary });
            }
            catch (ArgumentException error)
            {
                return BadRequest(error.Message);
            }
        });
        api.MapPost("/environments/{repository}/{environment}/resume", async (string repository, string environment, HttpRequest request, CancellationToken ct) =>
        {
            if (CheckTarget(runtime, repository, environment) is { } rejected)
            {
                return rejected;
            }

            var (record, job) = await runtime.Api.Control.ResumeAsync(repository, environment, request.Headers["x-requested-by"].FirstOrDefault() ?? "api", ct).ConfigureAwait(false);
            return Results.Json(new { status = "enqueued", jobId = job.JobId, environment = job.EnvironmentKey, runId = record.RunId, summary = record.Summary }, statusCode: 202);
        });
        api.MapGet("/runs", async (string? environment, int? max, CancellationToken ct) =>
            Results.Json(await runtime.Api.ListRunsAsync(environment, max ?? 50, ct).ConfigureAwait(false)));
        api.MapGet("/runs/{runId}", async (string runId, CancellationToken ct) =>
            await runtime.Api.GetRunAsync(runId, ct).ConfigureAwait(false) is { } run ? Results.Json(run) : NotFound($"No run '{runId}'."));

        // The status page: server-rendered HTML with inline CSS and no script; the CSP forbids anything else, so even
        // a mistake in encoding could not run script or load assets.
        api.MapGet("/status", async (HttpRequest request, CancellationToken ct) =>
            HtmlPage(200, await runtime.Api.StatusPageAsync(LinkQuery(request), ct).ConfigureAwait(false)));
        api.MapGet("/status/runs/{runId}", async (string runId, HttpRequest request, CancellationToken ct) =>
            await runtime.Api.RunStatusPageAsync(runId, LinkQuery(request), ct).ConfigureAwait(false) is { } page
                ? HtmlPage(200, page)
                : HtmlPage(404, StatusPage.Html.Page("Run not found", $"<p>No run '{StatusPage.Html.Encode(runId)}'.</p>", DateTimeOffset.UtcNow)));
        return app;
    }

    /// <summary>The names the stores accept as one key segment (so a job for it can be recorded).</summary>
    private static bool IsPlainName(string value) =>
        value.Length is > 0 and <= 100
        && value is not "." and not ".."
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static IResult? CheckTarget(GitOpsRuntime runtime, string repository, string environment) =>
        runtime.Settings.FindRepository(repository) is null ? NotFound($"No watched repository '{repository}'.")
        : !IsPlainName(environment) ? BadRequest($"'{environment}' is not an environment name: use letters, digits, '.', '_' or '-'.")
        : null;

    private static IResult BadRequest(string message) => Results.Json(new { status = "bad request", message }, statusCode: 400);

    /// <summary>The Functions host's <c>?code=</c> key, kept on the page's links so navigation stays authorized.</summary>
    private static string LinkQuery(HttpRequest request) =>
        request.Query["code"].FirstOrDefault() is { Length: > 0 } code ? "?code=" + Uri.EscapeDataString(code) : string.Empty;

    private static IResult HtmlPage(int status, string html) => new HtmlResult(status, html);

    private sealed class HtmlResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            response.Headers["Cache-Control"] = "no-store";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }

    private static IResult NotFound(string message) => Results.Json(new { status = "not found", message }, statusCode: 404);

    private static IResult Json(int status, JsonObject body) =>
        Results.Text(body.ToJsonString(), "application/json", System.Text.Encoding.UTF8, status);

    /// <summary>Reads the raw body up to a limit; null when it is larger (read no further than the limit).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
