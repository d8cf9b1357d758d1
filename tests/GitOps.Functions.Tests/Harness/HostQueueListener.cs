using System.Collections.Concurrent;
using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using GitOps.Functions.Tests.Harness.Rpc;

namespace GitOps.Functions.Tests.Harness;

/// <summary>
/// The host's queue trigger, played against Azurite with Azure.Storage.Queues as the host's WebJobs extension does
/// (host.json <c>extensions.queues</c>): receive a batch with a long visibility, decode Base64 (a message that does
/// not decode goes to the poison queue without an invocation), invoke the function with the message's metadata, then
/// delete it on success; on failure make it visible again after <c>visibilityTimeout</c>, or move it to
/// <c>&lt;queue&gt;-poison</c> once it has been dequeued <c>maxDequeueCount</c> times. An invocation that never
/// answers (the worker died) leaves the message to reappear when its visibility runs out.
/// </summary>
internal sealed class HostQueueListener : IAsyncDisposable
{
    private readonly Func<FunctionsHostHarness> _host;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly string _function;
    private readonly TimeSpan _visibilityTimeout;
    private readonly TimeSpan _receiveVisibility;
    private readonly int _maxDequeueCount;
    private readonly TimeSpan _maxPollingInterval;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string MessageId, long DequeueCount, StatusResult.Types.Status? Status)> _invocations = new();
    private Task? _loop;

    /// <summary>Creates the listener (not started).</summary>
    /// <param name="host">The host harness to invoke (read per message, so a restarted worker is picked up).</param>
    /// <param name="connectionString">The storage account (AzureWebJobsStorage).</param>
    /// <param name="queueName">The trigger's queue.</param>
    /// <param name="function">The function to invoke.</param>
    /// <param name="hostJson">The app's host.json settings: visibility timeout, dequeue limit, polling interval.</param>
    /// <param name="receiveVisibility">How long a received message stays invisible while its invocation runs.</param>
    public HostQueueListener(Func<FunctionsHostHarness> host, string connectionString, string queueName, string function, HostJsonQueues hostJson, TimeSpan receiveVisibility)
    {
        ArgumentNullException.ThrowIfNull(hostJson);
        _host = host;
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        _queue = new QueueClient(connectionString, queueName, options);
        _poison = new QueueClient(connectionString, queueName + "-poison", options);
        _function = function;
        _visibilityTimeout = hostJson.VisibilityTimeout;
        _maxDequeueCount = hostJson.MaxDequeueCount;
        _maxPollingInterval = hostJson.MaxPollingInterval;
        _receiveVisibility = receiveVisibility;
    }

    /// <summary>Every invocation so far: message, its dequeue count, the worker's status (null when it never answered).</summary>
    public IReadOnlyList<(string MessageId, long DequeueCount, StatusResult.Types.Status? Status)> Invocations => _invocations.ToArray();

    /// <summary>Starts polling (the host creates the queues it listens on).</summary>
    public async Task StartAsync()
    {
        await _queue.CreateIfNotExistsAsync().ConfigureAwait(false);
        await _poison.CreateIfNotExistsAsync().ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // The host's back-off on an empty queue: double up to maxPollingInterval, reset on a message.
        var idle = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await _queue.ReceiveMessagesAsync(16, _receiveVisibility, cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (messages.Length == 0)
            {
                try
                {
                    await Task.Delay(idle, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _maxPollingInterval.Ticks));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(100);
            await Task.WhenAll(messages.Select(m => ProcessAsync(m, cancellationToken))).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
        }
        catch (FormatException)
        {
            await PoisonAsync(message, message.MessageText, cancellationToken).ConfigureAwait(false);
            return;
        }

        InvocationResponse response;
        try
        {
            response = await _host().InvokeQueueAsync(_function, text, message.DequeueCount, message.MessageId, message.InsertedOn ?? DateTimeOffset.UtcNow, message.PopReceipt).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or TimeoutException)
        {
            // The worker died or never answered: the message stays invisible until its visibility runs out, then comes back.
            _invocations.Enqueue((message.MessageId, message.DequeueCount, null));
            return;
        }

        _invocations.Enqueue((message.MessageId, message.DequeueCount, response.Result.Status));
        if (response.Result.Status == StatusResult.Types.Status.Success)
        {
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        else if (message.DequeueCount >= _maxDequeueCount)
        {
            await PoisonAsync(message, message.MessageText, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _visibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PoisonAsync(QueueMessage message, string rawText, CancellationToken cancellationToken)
    {
        await _poison.SendMessageAsync(rawText, cancellationToken).ConfigureAwait(false);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops polling and waits for the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped mid-call.
            }
        }

        _stop.Dispose();
    }
}
