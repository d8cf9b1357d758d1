using GitOps.Hosting.Handlers;
using GitOps.Hosting.Settings;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GitOps.Functions.Functions;

/// <summary>
/// The <c>reconcile</c> and <c>reconcile-drift</c> queue functions: one job message, one recorded reconcile (or a push
/// job's fan-out). Drift jobs have their own queue, so the host gives them their own batch of worker slots and a sweep
/// of many environments never keeps a push waiting for one.
/// </summary>
/// <param name="handler">The reconcile job handler.</param>
/// <param name="logger">Log.</param>
internal sealed class ReconcileQueueFunction(ReconcileJobHandler handler, ILogger<ReconcileQueueFunction> logger)
{
    /// <summary>Runs one message of the reconcile queue.</summary>
    /// <param name="message">The message text, already decoded by the host (host.json <c>messageEncoding</c>).</param>
    /// <param name="id">The message id.</param>
    /// <param name="dequeueCount">Which delivery this is (1 = first).</param>
    /// <param name="cancellationToken">Host shutdown or function timeout.</param>
    /// <exception cref="JobRetryException">The job must be tried again: the host retries it after its visibility timeout and poisons it past <c>maxDequeueCount</c>.</exception>
    [Function(FunctionNames.Reconcile)]
    public Task RunAsync(
        [QueueTrigger(QueueNames.Reconcile, Connection = GitOpsSettings.StorageConnectionName)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        HandleAsync(message, id, dequeueCount, QueueNames.Poison, cancellationToken);

    /// <summary>Runs one message of the drift queue, with the same handler.</summary>
    /// <param name="message">The message text, already decoded by the host (host.json <c>messageEncoding</c>).</param>
    /// <param name="id">The message id.</param>
    /// <param name="dequeueCount">Which delivery this is (1 = first).</param>
    /// <param name="cancellationToken">Host shutdown or function timeout.</param>
    /// <exception cref="JobRetryException">The job must be tried again: the host retries it after its visibility timeout and poisons it past <c>maxDequeueCount</c>.</exception>
    [Function(FunctionNames.ReconcileDrift)]
    public Task RunDriftAsync(
        [QueueTrigger(QueueNames.Drift, Connection = GitOpsSettings.StorageConnectionName)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        HandleAsync(message, id, dequeueCount, QueueNames.DriftPoison, cancellationToken);

    private async Task HandleAsync(string message, string id, long dequeueCount, string poisonQueue, CancellationToken cancellationToken)
    {
        var (disposition, run) = await handler.RunAsync(message, (int)Math.Min(dequeueCount, int.MaxValue), cancellationToken).ConfigureAwait(false);
        switch (disposition)
        {
            case MessageDisposition.Complete:
                logger.LogInformation("Message {MessageId} (delivery {DequeueCount}): {Outcome}.", id, dequeueCount, run is null ? "handed on" : $"run {run.RunId} of {run.EnvironmentKey} {run.Outcome}");
                return;
            case MessageDisposition.Retry:
                // Retry-After and busy-lease cases were re-enqueued with a delay by the handler and come back Complete;
                // what remains is a transient failure for the host's own retries.
                throw new JobRetryException($"Message {id} (delivery {dequeueCount}): run {run?.RunId} of {run?.EnvironmentKey} failed transiently; the host retries it.");
            default:
                // Not a job: the host has no "poison now" answer, so every delivery fails and, past maxDequeueCount,
                // the message lands in the poison queue, where the poison function leaves it for a person.
                throw new JobRetryException($"Message {id} is not a reconcile job; it goes to {poisonQueue} after its retries.");
        }
    }
}
