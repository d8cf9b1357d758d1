using Azure.Storage.Queues;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using GitOps.Storage.Queues;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// The reconcile queues on Azure Storage: each job is <see cref="ReconcileJobJson"/> text, Base64-encoded by the queue
/// client (the Functions queue trigger's default <c>messageEncoding</c>), with the delay as the message's initial
/// visibility timeout. Drift jobs go to the drift queue and everything else (pushes, manual syncs, rollbacks, previews,
/// pull requests) to the reconcile queue: each queue has its own worker slots in both hosts, so a sweep of many
/// environments never holds the slot a push is waiting for. The queues and their <c>-poison</c> queues are created
/// on first use if missing.
/// </summary>
public sealed class QueueJobQueue : IJobQueue, IPreviewQueue
{
    private readonly StorageQueueClient _queue;
    private readonly StorageQueueClient _driftQueue;
    private readonly CreateOnce _create;

    /// <summary>Creates the job queue.</summary>
    /// <param name="queue">The reconcile queue client; it must use <see cref="QueueMessageEncoding.Base64"/>.</param>
    /// <param name="driftQueue">The drift queue client; it must use <see cref="QueueMessageEncoding.Base64"/> too.</param>
    /// <exception cref="ArgumentException">A client does not encode messages as Base64, which the Functions trigger expects.</exception>
    public QueueJobQueue(StorageQueueClient queue, StorageQueueClient driftQueue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(driftQueue);
        foreach (var client in new[] { queue, driftQueue })
        {
            if (client.MessageEncoding != QueueMessageEncoding.Base64)
            {
                throw new ArgumentException(
                    $"Queue '{client.Name}' must use QueueMessageEncoding.Base64: the Azure Functions queue trigger decodes messages as Base64 by default.",
                    client == queue ? nameof(queue) : nameof(driftQueue));
            }
        }

        _queue = queue;
        _driftQueue = driftQueue;
        _create = new CreateOnce(async ct =>
        {
            foreach (var client in new[] { queue, driftQueue })
            {
                await client.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
                await client.GetPoisonQueueClient().CreateIfNotExistsAsync(ct).ConfigureAwait(false);
            }
        });
    }

    /// <summary>The reconcile queue client underneath.</summary>
    public StorageQueueClient Queue => _queue;

    /// <summary>The drift queue client underneath.</summary>
    public StorageQueueClient DriftQueue => _driftQueue;

    /// <summary>The queue a job goes to: the drift queue for a drift job, the reconcile queue for every other.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The queue client.</returns>
    internal StorageQueueClient QueueFor(ReconcileJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Trigger == RunTrigger.Drift ? _driftQueue : _queue;
    }

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
        await QueueFor(job).SendMessageAsync(
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

    /// <summary>Creates both queues and their poison queues if they do not exist (once per instance; a failure is retried by the next call).</summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when all four exist.</returns>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => _create.EnsureAsync(cancellationToken);
}
