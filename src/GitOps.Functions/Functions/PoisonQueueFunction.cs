using GitOps.Hosting.Handlers;
using GitOps.Hosting.Settings;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GitOps.Functions.Functions;

/// <summary>
/// The <c>poison</c> and <c>drift-poison</c> queue functions: a job that failed on every delivery, from either job
/// queue, becomes a failed run in the history.
/// </summary>
/// <param name="handler">The poison job handler.</param>
/// <param name="logger">Log.</param>
internal sealed class PoisonQueueFunction(PoisonJobHandler handler, ILogger<PoisonQueueFunction> logger)
{
    /// <summary>Records one poisoned job of the reconcile queue.</summary>
    /// <param name="message">The poison message's text.</param>
    /// <param name="id">The message id.</param>
    /// <param name="dequeueCount">Which delivery of the poison message this is.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    /// <exception cref="JobRetryException">The message is not a job: it stays queued for a person to inspect.</exception>
    [Function(FunctionNames.Poison)]
    public Task RunAsync(
        [QueueTrigger(QueueNames.Poison, Connection = GitOpsSettings.StorageConnectionName)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        RecordAsync(message, id, dequeueCount, cancellationToken);

    /// <summary>Records one poisoned job of the drift queue, with the same handler.</summary>
    /// <param name="message">The poison message's text.</param>
    /// <param name="id">The message id.</param>
    /// <param name="dequeueCount">Which delivery of the poison message this is.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    /// <exception cref="JobRetryException">The message is not a job: it stays queued for a person to inspect.</exception>
    [Function(FunctionNames.DriftPoison)]
    public Task RunDriftAsync(
        [QueueTrigger(QueueNames.DriftPoison, Connection = GitOpsSettings.StorageConnectionName)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        RecordAsync(message, id, dequeueCount, cancellationToken);

    private async Task RecordAsync(string message, string id, long dequeueCount, CancellationToken cancellationToken)
    {
        var run = await handler.RunAsync(message, (int)Math.Min(dequeueCount, int.MaxValue), cancellationToken).ConfigureAwait(false)
            ?? throw new JobRetryException($"Poison message {id} is not a reconcile job; it is left for inspection.");
        logger.LogInformation("Poisoned job {JobId} of {Environment} recorded as failed run {RunId}.", run.JobId, run.EnvironmentKey, run.RunId);
    }
}
