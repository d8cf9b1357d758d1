using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Azure.Storage.Queues;

namespace GitOps.ArmSimulator.Events;

/// <summary>
/// Raises the event of every successful write and delete and delivers it, in the background, to the destination
/// configured for its subscription (per subscription, else <see cref="ArmSimulatorOptions.Events"/>). Delivery never
/// delays or fails an ARM answer; what became of each event is in <see cref="Published"/>.
/// </summary>
internal sealed class ArmEventPublisher : IAsyncDisposable
{
    private const int MaxLog = 10_000;
    // Sends wait on Azurite, not on CPU, so more of them keep a storm's delivery short on a busy machine.
    private const int Senders = 16;
    private readonly ArmSimulatorOptions _options;
    private readonly ConcurrentDictionary<string, ArmEventDestination> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<ArmEventDestination, Lazy<Task<QueueClient>>> _clients = new();
    private readonly Channel<(ArmPublishedEvent Record, string Text, ArmEventDestination Destination)> _channel =
        Channel.CreateUnbounded<(ArmPublishedEvent, string, ArmEventDestination)>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Queue<ArmPublishedEvent> _log = new();
    private readonly object _gate = new();
    private readonly Task[] _senders;
    private readonly ConcurrentDictionary<string, StrongBox<int>> _pendingBySubscription = new(StringComparer.OrdinalIgnoreCase);
    private int _pending;

    public ArmEventPublisher(ArmSimulatorOptions options)
    {
        _options = options;
        _senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoopAsync)).ToArray();
    }

    public IReadOnlyList<ArmPublishedEvent> Published
    {
        get
        {
            lock (_gate)
            {
                return _log.ToArray();
            }
        }
    }

    public void Route(string subscriptionId, ArmEventDestination? destination)
    {
        if (destination is null)
        {
            _routes.TryRemove(subscriptionId, out _);
        }
        else
        {
            _routes[subscriptionId] = destination;
        }
    }

    public void Reset()
    {
        _routes.Clear();
        lock (_gate)
        {
            _log.Clear();
        }
    }

    /// <summary>Raises one event: logged always, delivered when its subscription has a destination.</summary>
    public void Publish(ArmChange change)
    {
        var time = _options.TimeProvider.GetUtcNow();
        var id = Guid.NewGuid().ToString();
        var caller = change.Claims.GetValueOrDefault(ArmCallerClaims.UpnClaim) ?? change.Claims.GetValueOrDefault("appid") ?? "unknown";
        var destination = _routes.GetValueOrDefault(change.SubscriptionId) ?? _options.Events;
        var record = new ArmPublishedEvent(id, change.Kind, change.ResourceId, change.SubscriptionId, time, caller, change.CorrelationId, destination?.QueueName, Delivered: false, Error: null);
        if (destination is null)
        {
            Log(record);
            return;
        }

        var json = ArmEventBuilder.Build(change, id, time, destination.Schema).ToJsonString();
        var text = destination.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json;
        Interlocked.Increment(ref _pending);
        Interlocked.Increment(ref PendingOf(change.SubscriptionId).Value);
        if (!_channel.Writer.TryWrite((record, text, destination)))
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Decrement(ref PendingOf(change.SubscriptionId).Value);
            Log(record with { Error = "The simulator is stopping." });
        }
    }

    /// <summary>
    /// Waits until every event raised so far (of <paramref name="subscriptionId"/> only, when given, so one test's
    /// backlog on a shared simulator does not hold up another's) has been delivered (or failed).
    /// </summary>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken cancellationToken, string? subscriptionId = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var counter = subscriptionId is null ? null : PendingOf(subscriptionId);
        while ((counter is null ? Volatile.Read(ref _pending) : Volatile.Read(ref counter.Value)) is var pending and > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{pending} event(s){(subscriptionId is null ? string.Empty : $" of subscription {subscriptionId}")} were still being delivered after {timeout}.");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await Task.WhenAny(Task.WhenAll(_senders), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        await foreach (var (record, text, destination) in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var client = await _clients.GetOrAdd(destination, d => new Lazy<Task<QueueClient>>(() => CreateAsync(d))).Value.ConfigureAwait(false);
                await client.SendMessageAsync(text).ConfigureAwait(false);
                Log(record with { Delivered = true });
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // A failed creation is tried again by the next event.
                _clients.TryRemove(destination, out _);
                Log(record with { Error = $"{error.GetType().Name}: {error.Message}" });
            }
            finally
            {
                Interlocked.Decrement(ref PendingOf(record.SubscriptionId).Value);
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private StrongBox<int> PendingOf(string subscriptionId) => _pendingBySubscription.GetOrAdd(subscriptionId, _ => new StrongBox<int>());

    private static async Task<QueueClient> CreateAsync(ArmEventDestination destination)
    {
        // The newest version Azurite 3.35 accepts; the SDK's default is newer (see src/GitOps.Storage/README.md).
        var client = new QueueClient(destination.ConnectionString, destination.QueueName, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2025_11_05)
        {
            MessageEncoding = QueueMessageEncoding.None,
        });
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }

    private void Log(ArmPublishedEvent record)
    {
        lock (_gate)
        {
            _log.Enqueue(record);
            while (_log.Count > MaxLog)
            {
                _log.Dequeue();
            }
        }
    }
}
