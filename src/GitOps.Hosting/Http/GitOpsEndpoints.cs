using GitOps.Hosting.Handlers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Hosting.Http;

/// <summary>
/// <c>gitops serve</c>'s HTTP routes: thin minimal-API endpoints over the same handlers the Functions worker's HTTP
/// functions call. Routes live under <c>/api</c>, the Functions host's default prefix, so URLs are the same in both.
/// </summary>
public static class GitOpsEndpoints
{
    /// <summary>Maps <c>/api/webhook</c>, the <c>/api/…</c> operations and the status page <c>/api/status</c> on the registered handlers.</summary>
    /// <param name="app">The route builder (its services built with <c>AddGitOps</c>).</param>
    /// <param name="access">Who may call <c>/api</c> (every route but the webhook, which authenticates itself) and how the caller is named.</param>
    public static IEndpointRouteBuilder MapGitOpsEndpoints(this IEndpointRouteBuilder app, ApiAccess access)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapGitOpsEndpoints(GitOpsRuntime.FromServices(app.ServiceProvider), access);
    }

    /// <summary>Maps the routes on the handlers of <paramref name="runtime"/>.</summary>
    /// <param name="app">The route builder.</param>
    /// <param name="runtime">The composed handlers.</param>
    /// <param name="access">Who may call <c>/api</c>.</param>
    public static IEndpointRouteBuilder MapGitOpsEndpoints(this IEndpointRouteBuilder app, GitOpsRuntime runtime, ApiAccess access)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(access);

        app.MapGet("/", () => Results.Text("gitops serve is running."));
        app.MapPost("/api/webhook/{provider?}", Answer(WebhookHandler.MaxBodyBytes, runtime.Webhook.HandleAsync));
        app.MapMethods("/api/status/{**rest}", ["GET"], Answer(0, (call, ct) => runtime.StatusPage.HandleAsync(call, access, ct)));
        var api = Answer(ApiCommands.MaxBodyBytes, (call, ct) => runtime.Api.HandleAsync(call, access, ct));
        app.MapMethods("/api/environments/{**rest}", ["GET", "POST"], api);
        app.MapMethods("/api/runs/{**rest}", ["GET", "POST"], api);
        return app;
    }

    /// <summary>The whole endpoint: read the request within the route's body limit, call the handler, write its answer.</summary>
    private static RequestDelegate Answer(long bodyLimit, Func<HttpCall, CancellationToken, Task<HttpAnswer>> handle) => async context =>
    {
        var call = await context.Request.ToCallAsync(bodyLimit, context.RequestAborted).ConfigureAwait(false);
        var answer = await handle(call, context.RequestAborted).ConfigureAwait(false);
        await answer.WriteAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
    };
}
