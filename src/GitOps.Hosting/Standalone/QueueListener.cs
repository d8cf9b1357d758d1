using GitOps.Hosting.Handlers;
using GitOps.Hosting.Settings;
using GitOps.Storage;
using GitOps.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// <c>gitops serve</c>'s queue listener, with the Functions host's queue semantics (host.json <c>extensions.queues</c>):
/// batches processed in parallel, a new batch fetched when few are in flight, polling that backs off when idle, a
/// retry delay for failed messages, and the poison queue past the dequeue limit. Messages stay invisible while they
/// are processed (renewed), so several <c>serve</c> processes on one storage account never run the same job twice.
/// </summary>
public sealed class QueueListener(
    StorageQueueClient queue,
    Func<string, int, CancellationToken, Task<MessageDisposition>> handler,
    QueueListenerSettings settings,
    ILogger logger,
    TimeProvider? timeProvider = null) : BackgroundService
{
    /// <summary>How long in-flight messages get to finish on shutdown before they are cancelled and released.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>True for a poison queue: failed messages are kept (invisible for a while) since there is nowhere further to move them.</summary>
    public bool IsPoisonQueue { get; init; }

    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _inFlight = [];

    /// <summary>Messages processed since start (for tests and logs).</summary>
    public int Processed => Volatile.Read(ref _processed);

    private int _processed;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = MinPollingInterval;
        while (!await TryCreateQueueAsync(stoppingToken).ConfigureAwait(false))
        {
            // Storage is not reachable yet (or went away): keep trying with the idle back-off instead of stopping the host.
            await SleepAsync(delay, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }

        delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            int inFlight;
            lock (_inFlight)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                inFlight = _inFlight.Count;
            }

            var capacity = settings.BatchSize + settings.NewBatchThreshold - inFlight;
            if (inFlight > settings.NewBatchThreshold || capacity <= 0)
            {
                await WaitAnyAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            IReadOnlyList<QueueMessage> messages;
            try
            {
                messages = await queue.ReceiveMessagesAsync(Math.Min(settings.BatchSize, capacity), settings.ProcessingTimeout, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (StorageFailures.IsOutage(error))
            {
                logger.LogWarning("Polling queue {Queue} failed: {Reason}; retrying.", queue.Name, error.Message);
                messages = [];
            }

            if (messages.Count == 0)
            {
                // Back off while idle, as the Functions host does, up to maxPollingInterval.
                await SleepAsync(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = MinPollingInterval;
            lock (_inFlight)
            {
                _inFlight.AddRange(messages.Select(m => Task.Run(() => ProcessAsync(m), CancellationToken.None)));
            }
        }

        await DrainAsync().ConfigureAwait(false);
    }

    private async Task ProcessAsync(QueueMessage message)
    {
        var popReceipt = message.PopReceipt;
        try
        {
            if (message.Text is null)
            {
                logger.LogError("Message {MessageId} on {Queue} is not Base64; it is not run.", message.MessageId, queue.Name);
                if (IsPoisonQueue)
                {
                    await queue.UpdateVisibilityAsync(message.MessageId, popReceipt, TimeSpan.FromHours(1), CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await PoisonAsync(message, popReceipt).ConfigureAwait(false);
                }

                return;
            }

            if (message.DequeueCount > settings.MaxDequeueCount && !IsPoisonQueue)
            {
                await PoisonAsync(message, popReceipt).ConfigureAwait(false);
                return;
            }

            // Keep the message invisible while the work runs, however long it takes.
            using var renewal = new CancellationTokenSource();
            var keepAlive = KeepInvisibleAsync(message, r => popReceipt = r, () => popReceipt, renewal.Token);
            MessageDisposition disposition;
            try
            {
                disposition = await handler(message.Text, (int)message.DequeueCount, _abort.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                logger.LogError(error, "The function for message {MessageId} on {Queue} threw; it will be retried.", message.MessageId, queue.Name);
                disposition = MessageDisposition.Retry;
            }
            finally
            {
                await renewal.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
            }

            switch (disposition)
            {
                case MessageDisposition.Complete:
                    await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None).ConfigureAwait(false);
                    break;
                case MessageDisposition.Poison:
                    await PoisonAsync(message, popReceipt).ConfigureAwait(false);
                    break;
                default:
                    if (!IsPoisonQueue && message.DequeueCount >= settings.MaxDequeueCount)
                    {
                        await PoisonAsync(message, popReceipt).ConfigureAwait(false);
                    }
                    else
                    {
                        // On shutdown release at once so another worker takes over; otherwise wait the retry delay.
                        var retryAfter = _abort.IsCancellationRequested ? TimeSpan.Zero : IsPoisonQueue ? TimeSpan.FromHours(1) : settings.VisibilityTimeout;
                        await queue.UpdateVisibilityAsync(message.MessageId, popReceipt, retryAfter, CancellationToken.None).ConfigureAwait(false);
                    }

                    break;
            }
        }
        catch (Exception error) when (StorageFailures.IsOutage(error))
        {
            // The message reappears after its visibility timeout; the reconcile is idempotent.
            logger.LogWarning("Settling message {MessageId} on {Queue} failed: {Reason}; it will reappear.", message.MessageId, queue.Name, error.Message);
        }
        finally
        {
            Interlocked.Increment(ref _processed);
        }
    }

    private async Task<bool> TryCreateQueueAsync(CancellationToken stoppingToken)
    {
        try
        {
            await queue.CreateIfNotExistsAsync(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception error) when (StorageFailures.IsOutage(error))
        {
            logger.LogWarning("Queue {Queue} is not reachable: {Reason}; retrying.", queue.Name, error.Message);
            return false;
        }
    }

    private async Task PoisonAsync(QueueMessage message, string popReceipt)
    {
        await queue.MoveToPoisonAsync(message with { PopReceipt = popReceipt }, CancellationToken.None).ConfigureAwait(false);
        logger.LogWarning("Message {MessageId} moved to {Poison} after {Deliveries} deliveries.", message.MessageId, queue.PoisonQueueName, message.DequeueCount);
    }

    private async Task KeepInvisibleAsync(QueueMessage message, Action<string> setReceipt, Func<string> getReceipt, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromTicks(Math.Max(settings.ProcessingTimeout.Ticks / 2, TimeSpan.FromSeconds(1).Ticks));
        try
        {
            while (true)
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                // Never abandon a renewal in flight: the service may have applied it, and only its answer carries the
                // new pop receipt without which the message can no longer be deleted (it would run again).
                var receipt = await queue.UpdateVisibilityAsync(message.MessageId, getReceipt(), settings.ProcessingTimeout, CancellationToken.None).ConfigureAwait(false);
                setReceipt(receipt.PopReceipt);
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended.
        }
        catch (Exception error) when (StorageFailures.IsOutage(error))
        {
            logger.LogWarning("Could not extend message {MessageId}'s invisibility: {Reason}", message.MessageId, error.Message);
        }
    }

    private async Task DrainAsync()
    {
        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight];
        }

        if (running.Length == 0)
        {
            return;
        }

        logger.LogInformation("Stopping: waiting up to {Grace} for {Count} job(s) in flight on {Queue}.", ShutdownGrace, running.Length, queue.Name);
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(ShutdownGrace, _time)).ConfigureAwait(false) != all)
        {
            // Out of time: cancel; the reconciler records the interruption and the messages are released at once.
            await _abort.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }

    private async Task WaitAnyAsync(CancellationToken stoppingToken)
    {
        Task[] running;
        lock (_inFlight)
        {
            running = [.. _inFlight];
        }

        await Task.WhenAny(running.Append(Task.Delay(Timeout.Infinite, stoppingToken))).ConfigureAwait(false);
    }

    private async Task SleepAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }
}
