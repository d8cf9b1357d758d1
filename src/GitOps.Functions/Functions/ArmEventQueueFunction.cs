using GitOps.Hosting.Handlers;
using GitOps.Hosting.Settings;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GitOps.Functions.Functions;

/// <summary>
/// The <c>events</c> queue function: one ARM event from the Event Grid subscription's queue (<c>arm-events</c>) → the
/// inboxes of the environments that manage the resource, and a scoped drift job per coalescing window.
/// </summary>
/// <param name="handler">The event handler.</param>
/// <param name="logger">Log.</param>
internal sealed class ArmEventQueueFunction(ArmEventHandler handler, ILogger<ArmEventQueueFunction> logger)
{
    /// <summary>Handles one event.</summary>
    /// <param name="message">The message text as the host decoded it (host.json <c>messageEncoding</c>; the handler also accepts JSON that is still Base64).</param>
    /// <param name="id">The message id.</param>
    /// <param name="dequeueCount">Which delivery this is.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    /// <exception cref="JobRetryException">Storage failed; the host retries the message after its visibility timeout.</exception>
    [Function(FunctionNames.Events)]
    public async Task RunAsync(
        [QueueTrigger(QueueNames.Events, Connection = GitOpsSettings.StorageConnectionName)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(message, (int)Math.Min(dequeueCount, int.MaxValue), cancellationToken).ConfigureAwait(false);
        if (result.Disposition == MessageDisposition.Retry)
        {
            throw new JobRetryException($"Event message {id} (delivery {dequeueCount}) could not be recorded; the host retries it.");
        }

        // Refused events were recorded in arm-events-poison by the handler, with the reason: this delivery is done.
        logger.LogInformation("Event message {MessageId}: {Outcome}{Environments}.", id, result.Outcome, result.Environments.Count > 0 ? " for " + string.Join(", ", result.Environments) : string.Empty);
    }
}
