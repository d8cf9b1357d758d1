using GitOps.Hosting.Handlers;
using GitOps.Hosting.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GitOps.Functions.Functions;

/// <summary>
/// The HTTP functions: <c>webhook</c> (anonymous: each delivery is authenticated by its own signature over the exact
/// raw body), <c>api</c> and <c>status</c> (function keys, checked by the host before it forwards the request).
/// </summary>
/// <param name="webhook">The webhook handler.</param>
/// <param name="api">The api handler.</param>
/// <param name="status">The status page handler.</param>
/// <param name="access">Who may call the api under the Functions host.</param>
internal sealed class HttpFunctions(WebhookHandler webhook, ApiHandler api, StatusPageHandler status, ApiAccess access)
{
    /// <summary>The api's route: everything under <c>/api/environments</c> and <c>/api/runs</c>.</summary>
    public const string ApiRoute = "{area:regex(^(environments|runs)$)}/{*rest}";

    /// <summary>One webhook delivery.</summary>
    /// <param name="request">The original request, body unread.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    [Function(FunctionNames.Webhook)]
    public async Task<IActionResult> WebhookAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhook/{provider?}")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = await request.ToCallAsync(WebhookHandler.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        return new AnswerResult(await webhook.HandleAsync(call, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One api request.</summary>
    /// <param name="request">The original request.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    [Function(FunctionNames.Api)]
    public async Task<IActionResult> ApiAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = ApiRoute)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = await request.ToCallAsync(ApiCommands.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        return new AnswerResult(await api.HandleAsync(call, access, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One status page request.</summary>
    /// <param name="request">The original request.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    [Function(FunctionNames.Status)]
    public async Task<IActionResult> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "status/{*rest}")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = await request.ToCallAsync(0, cancellationToken).ConfigureAwait(false);
        return new AnswerResult(await status.HandleAsync(call, access, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes a handler's answer on the proxied connection (the host relays it to the caller).</summary>
    private sealed class AnswerResult(HttpAnswer answer) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) =>
            answer.WriteAsync(context.HttpContext.Response, context.HttpContext.RequestAborted);
    }
}
