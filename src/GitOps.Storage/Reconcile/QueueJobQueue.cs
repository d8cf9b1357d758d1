using Azure.Storage.Queues;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using GitOps.Storage.Queues;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// The reconcile queue on Azure Storage: each job is <see cref="ReconcileJobJson"/> text, Base64-encoded by the queue
/// client (the Functions queue trigger's default <c>messageEncoding</c>), with the delay as the message's initial
/// visibility timeout. The queue and its <c>-poison</c> queue are created on first use if missing.
/// </summary>
public sealed class QueueJobQueue : IJobQueue, IPreviewQueue
{
    private readonly StorageQueueClient _queue;
    private readonly CreateOnce _create;

    /// <summary>Creates the job queue.</summary>
    /// <param name="queue">The reconcile queue client; it must use <see cref="QueueMessageEncoding.Base64"/>.</param>
    /// <exception cref="ArgumentException">The client does not encode messages as Base64, which the Functions trigger expects.</exception>
    public QueueJobQueue(StorageQueueClient queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (queue.MessageEncoding != QueueMessageEncoding.Base64)
        {
            throw new ArgumentException(
                $"Queue '{queue.Name}' must use QueueMessageEncoding.Base64: the Azure Functions queue trigger decodes messages as Base64 by default.",
                nameof(queue));
        }

        _queue = queue;
        _create = new CreateOnce(async ct =>
        {
            await queue.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
            await queue.GetPoisonQueueClient().CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        });
    }

    /// <summary>The queue client underneath.</summary>
    public StorageQueueClient Queue => _queue;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative or not shorter than the 7-day message lifetime.</exception>
    public async Task EnqueueAsync(ReconcileJob job, TimeSpan delay = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (delay < TimeSpan.Zero || delay >= StorageQueueClient.MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A job delay must be at least zero and shorter than 7 days (the message lifetime).");
        }

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _queue.SendMessageAsync(
            ReconcileJobJson.Serialize(job),
            delay > TimeSpan.Zero ? delay : null,
            timeToLive: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(PushJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _queue.SendMessageAsync(PushJobJson.Serialize(job), null, timeToLive: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(PullRequestJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _queue.SendMessageAsync(PreviewJobJson.Serialize(job), null, timeToLive: null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task EnqueueAsync(PreviewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _queue.SendMessageAsync(PreviewJobJson.Serialize(job), null, timeToLive: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the queue and its poison queue if they do not exist (once per instance; a failure is retried by the next call).</summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both exist.</returns>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => _create.EnsureAsync(cancellationToken);
}
