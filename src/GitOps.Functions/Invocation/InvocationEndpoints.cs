using GitOps.Hosting;
using GitOps.Hosting.Handlers;
using GitOps.Hosting.Http;

namespace GitOps.Functions.Invocation;

/// <summary>
/// Maps the JSON-protocol invocation routes of the non-HTTP functions: <c>POST /reconcile</c>, <c>/poison</c> and
/// <c>/drift</c>. Each answers <see cref="InvocationResponse"/>; a non-2xx status fails the invocation on purpose.
/// </summary>
public static class InvocationEndpoints
{
    /// <summary>The largest invocation body read (a queue message is at most 64 KiB; the envelope adds little).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Maps the three invocation routes.</summary>
    /// <param name="app">The route builder.</param>
    /// <param name="runtime">The composed functions.</param>
    /// <param name="logger">Where the handler's own lines go (stdout, which the host collects).</param>
    public static IEndpointRouteBuilder MapInvocationEndpoints(this IEndpointRouteBuilder app, GitOpsRuntime runtime, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(logger);

        app.MapPost("/" + FunctionNames.Reconcile, (HttpRequest request, CancellationToken ct) =>
            InvokeAsync(request, FunctionNames.Reconcile, logger, (invocation, response) => ReconcileAsync(runtime, invocation, response, ct), ct));
        app.MapPost("/" + FunctionNames.Poison, (HttpRequest request, CancellationToken ct) =>
            InvokeAsync(request, FunctionNames.Poison, logger, (invocation, response) => PoisonAsync(runtime, invocation, response, ct), ct));
        app.MapPost("/" + FunctionNames.Drift, (HttpRequest request, CancellationToken ct) =>
            InvokeAsync(request, FunctionNames.Drift, logger, (_, response) => DriftAsync(runtime, response, ct), ct));
        return app;
    }

    private static async Task<IResult> InvokeAsync(
        HttpRequest request,
        string function,
        ILogger logger,
        Func<InvocationRequest, InvocationResponse, Task> run,
        CancellationToken cancellationToken)
    {
        var invocationId = request.Headers["X-Azure-Functions-InvocationId"].FirstOrDefault() ?? "(none)";
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["function"] = function, ["invocationId"] = invocationId });
        var response = new InvocationResponse();
        InvocationRequest invocation;
        try
        {
            invocation = InvocationRequest.Parse(await request.ReadBoundedAsync(MaxBodyBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new FormatException($"The body exceeds {MaxBodyBytes} bytes."));
        }
        catch (FormatException error)
        {
            logger.LogError("Invocation {InvocationId} of {Function} is malformed: {Reason}", invocationId, function, error.Message);
            return response.Fail($"The invocation of '{function}' is malformed: {error.Message}").ToResult();
        }

        try
        {
            await run(invocation, response).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Invocation {InvocationId} of {Function} was cancelled.", invocationId, function);
            response.Fail($"The invocation of '{function}' was cancelled (the host is shutting down or timed out); the message will be retried.");
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Our exception messages name settings, ids and resources, never secret values (AGENTS.md), so they may
            // reach the invocation log; the host retries a failed queue invocation.
            logger.LogError(error, "Invocation {InvocationId} of {Function} failed.", invocationId, function);
            response.Fail($"'{function}' failed: {error.GetType().Name}: {error.Message}");
        }

        return response.ToResult();
    }

    private static async Task ReconcileAsync(GitOpsRuntime runtime, InvocationRequest invocation, InvocationResponse response, CancellationToken cancellationToken)
    {
        var message = QueuePayloadDecoder.DecodeMessage(invocation.Binding(FunctionNames.MessageBinding));
        var dequeueCount = QueuePayloadDecoder.DequeueCount(invocation.MetadataValue("DequeueCount"));
        var messageId = QueuePayloadDecoder.Text(invocation.MetadataValue("Id")) ?? "(unknown)";
        var (disposition, run) = await runtime.Reconcile.RunAsync(message, dequeueCount, cancellationToken).ConfigureAwait(false);
        switch (disposition)
        {
            case MessageDisposition.Complete when run is null:
                response.Log($"Message {messageId} (delivery {dequeueCount}): the environment is busy; the running reconcile picks the job up.");
                break;
            case MessageDisposition.Complete:
                response.Log($"Message {messageId} (delivery {dequeueCount}): run {run.RunId} of {run.EnvironmentKey} {run.Outcome}. {run.Summary}");
                break;
            case MessageDisposition.Retry:
                response.Fail($"Message {messageId} (delivery {dequeueCount}): run {run?.RunId} of {run?.EnvironmentKey} failed transiently ({run?.Summary}); failing the invocation so the host retries it and poisons it past maxDequeueCount.");
                break;
            default:
                // Not a job at all: the host has no "poison now" answer, so fail every delivery; past maxDequeueCount
                // it lands in reconcile-poison, where the poison function leaves it for a person.
                response.Fail($"Message {messageId} is not a reconcile job; failing the invocation so the host moves it to the poison queue after its retries.");
                break;
        }
    }

    private static async Task PoisonAsync(GitOpsRuntime runtime, InvocationRequest invocation, InvocationResponse response, CancellationToken cancellationToken)
    {
        var message = QueuePayloadDecoder.DecodeMessage(invocation.Binding(FunctionNames.MessageBinding));
        var dequeueCount = QueuePayloadDecoder.DequeueCount(invocation.MetadataValue("DequeueCount"));
        var messageId = QueuePayloadDecoder.Text(invocation.MetadataValue("Id")) ?? "(unknown)";
        var run = await runtime.Poison.RunAsync(message, dequeueCount, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            // A poison queue has no poison queue of its own: failing leaves the message there, invisible for a while,
            // for a person to inspect, which is what we want for something that is not a job.
            response.Fail($"Poison message {messageId} is not a reconcile job; it stays in the poison queue for inspection.");
            return;
        }

        response.Log($"Poisoned job {run.JobId} of {run.EnvironmentKey} recorded as failed run {run.RunId}.");
    }

    private static async Task DriftAsync(GitOpsRuntime runtime, InvocationResponse response, CancellationToken cancellationToken)
    {
        // The timer value (Schedule, ScheduleStatus, IsPastDue) does not matter: each environment's drift interval
        // and its state decide what is due, so a late or repeated tick enqueues nothing twice.
        var enqueued = await runtime.Drift.RunAsync(cancellationToken).ConfigureAwait(false);
        response.Log(enqueued.Count == 0
            ? "No environment is due for a drift check."
            : $"Drift checks enqueued for {enqueued.Count} environment(s): {string.Join(", ", enqueued)}.");
    }
}
