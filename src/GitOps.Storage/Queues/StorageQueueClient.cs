using System.Text;
using Azure;
using Azure.Storage.Queues;

namespace GitOps.Storage.Queues;

/// <summary>
/// One queue on the Azure SDK's <see cref="QueueClient"/>, with the two things the reconciler needs beyond it: a
/// poison queue beside it (moved to as the Functions host does), and received messages whose text does not decode
/// surfaced with <see cref="QueueMessage.Text"/> null instead of dropped.
/// </summary>
/// <remarks>
/// Sends go through <see cref="Client"/>, whose <see cref="QueueClientOptions.MessageEncoding"/> is Base64 by default
/// (what the Functions queue trigger decodes). Receives and peeks go through a second client on the same queue with
/// encoding <c>None</c>: the SDK's Base64 client hands undecodable messages to an event and leaves them out of the
/// result, which would leave a bad message circling invisibly instead of reaching the poison queue.
/// </remarks>
public class StorageQueueClient
{
    /// <summary>The service's limit on one message (64 KiB as stored, after Base64).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The most messages one receive or peek returns.</summary>
    public const int MaxMessagesPerCall = 32;

    /// <summary>The longest visibility timeout or delay the service accepts (7 days, exclusive).</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>A time-to-live that never expires.</summary>
    public static readonly TimeSpan InfiniteTimeToLive = TimeSpan.FromSeconds(-1);

    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly StorageConnection _connection;
    private readonly StorageQueueClientOptions _options;
    private readonly QueueClient _raw;
    private StorageQueueClient? _poisonQueue;
    private int _poisonQueueCreated;

    /// <summary>Creates a client for one queue (no call is made).</summary>
    /// <param name="connection">The account and credential.</param>
    /// <param name="queueName">The queue name (3-63 lowercase letters, digits and single '-').</param>
    /// <param name="options">Options; Base64 messages and the pinned version by default.</param>
    /// <exception cref="ArgumentException">The name is invalid or the connection has no queue endpoint.</exception>
    public StorageQueueClient(StorageConnection connection, string queueName, StorageQueueClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options ?? new StorageQueueClientOptions();
        Client = StorageClients.CreateQueueClient(connection, queueName, _options);
        _raw = StorageClients.CreateQueueClient(connection, queueName, _options.WithoutEncoding());
        Name = queueName;
    }

    /// <summary>For mocking.</summary>
    protected StorageQueueClient()
    {
        _connection = null!;
        _options = new StorageQueueClientOptions();
        Client = null!;
        _raw = null!;
        Name = string.Empty;
    }

    /// <summary>The SDK client (Base64 message text unless the options say otherwise).</summary>
    public QueueClient Client { get; }

    /// <summary>The queue name.</summary>
    public string Name { get; }

    /// <summary>The queue URI.</summary>
    public Uri Uri => Client.Uri;

    /// <summary>How message text is encoded on the wire.</summary>
    public QueueMessageEncoding MessageEncoding => _options.MessageEncoding;

    /// <summary>The poison queue's name: <see cref="Name"/> plus <see cref="StorageQueueClientOptions.PoisonQueueSuffix"/>.</summary>
    public string PoisonQueueName => Name + _options.PoisonQueueSuffix;

    /// <summary>Creates the queue if it does not exist.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when this call created it.</returns>
    public virtual async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        await Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Deletes the queue if it exists.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it existed.</returns>
    public virtual async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default) =>
        (await Client.DeleteIfExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Enqueues a message, encoded with <see cref="MessageEncoding"/>.</summary>
    /// <param name="messageText">The text, typically a JSON document.</param>
    /// <param name="visibilityDelay">How long the message stays invisible after insertion (0 to 7 days; default 0).</param>
    /// <param name="timeToLive">How long it lives (default 7 days; <see cref="InfiniteTimeToLive"/> for never).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new message's id, pop receipt and times.</returns>
    /// <exception cref="ArgumentException">The encoded message exceeds <see cref="MaxMessageBytes"/>.</exception>
    public virtual async Task<QueueSendReceipt> SendMessageAsync(
        string messageText,
        TimeSpan? visibilityDelay = null,
        TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var stored = MessageEncoding == QueueMessageEncoding.Base64 ? (Encoding.UTF8.GetByteCount(messageText) + 2) / 3 * 4 : Encoding.UTF8.GetByteCount(messageText);
        if (stored > MaxMessageBytes)
        {
            // Checked here so the caller learns the size, not a 413 without the reason.
            throw new ArgumentException($"The message is {stored} bytes as stored; a queue message holds at most {MaxMessageBytes}.", nameof(messageText));
        }

        var receipt = await Client.SendMessageAsync(messageText, visibilityDelay, timeToLive, cancellationToken).ConfigureAwait(false);
        return ToReceipt(receipt.Value);
    }

    /// <summary>Enqueues text exactly as given, without applying <see cref="MessageEncoding"/> (used to copy a message byte for byte).</summary>
    /// <param name="rawText">The <c>MessageText</c> to store.</param>
    /// <param name="visibilityDelay">How long the message stays invisible after insertion.</param>
    /// <param name="timeToLive">How long it lives.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new message's id, pop receipt and times.</returns>
    public virtual async Task<QueueSendReceipt> SendRawMessageAsync(
        string rawText,
        TimeSpan? visibilityDelay = null,
        TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rawText);
        var receipt = await _raw.SendMessageAsync(rawText, visibilityDelay, timeToLive, cancellationToken).ConfigureAwait(false);
        return ToReceipt(receipt.Value);
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and hides them for <paramref name="visibilityTimeout"/>.</summary>
    /// <param name="maxMessages">1 to 32.</param>
    /// <param name="visibilityTimeout">How long they stay invisible (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The messages; <see cref="QueueMessage.Text"/> is null for one that does not decode.</returns>
    public virtual async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(
        int maxMessages = 1,
        TimeSpan? visibilityTimeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerCall);
        var received = await _raw.ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return received.Value.Select(m =>
        {
            var raw = m.Body.ToString();
            return new QueueMessage(
                m.MessageId,
                m.PopReceipt,
                m.DequeueCount,
                m.InsertedOn ?? default,
                m.ExpiresOn ?? default,
                m.NextVisibleOn ?? default,
                raw,
                Decode(raw));
        }).ToList();
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> visible messages without receiving them.</summary>
    /// <param name="maxMessages">1 to 32.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The messages.</returns>
    public virtual async Task<IReadOnlyList<PeekedQueueMessage>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerCall);
        var peeked = await _raw.PeekMessagesAsync(maxMessages, cancellationToken).ConfigureAwait(false);
        return peeked.Value.Select(m =>
        {
            var raw = m.Body.ToString();
            return new PeekedQueueMessage(m.MessageId, m.DequeueCount, m.InsertedOn ?? default, m.ExpiresOn ?? default, raw, Decode(raw));
        }).ToList();
    }

    /// <summary>Deletes a received message.</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="popReceipt">The latest pop receipt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    public virtual async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default) =>
        await Client.DeleteMessageAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);

    /// <summary>Changes how long a received message stays invisible (its text is kept).</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="popReceipt">The latest pop receipt.</param>
    /// <param name="visibilityTimeout">From now; zero makes it visible at once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new pop receipt (the old one stops working).</returns>
    public virtual async Task<QueueUpdateReceipt> UpdateVisibilityAsync(
        string messageId,
        string popReceipt,
        TimeSpan visibilityTimeout,
        CancellationToken cancellationToken = default)
    {
        var updated = await _raw.UpdateMessageAsync(messageId, popReceipt, message: (BinaryData?)null, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return new QueueUpdateReceipt(updated.Value.PopReceipt, updated.Value.NextVisibleOn);
    }

    /// <summary>Deletes every message.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the queue is empty.</returns>
    public virtual async Task ClearMessagesAsync(CancellationToken cancellationToken = default) =>
        await Client.ClearMessagesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The approximate number of messages, invisible ones included.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    public virtual async Task<long> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default) =>
        (await Client.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCountLong;

    /// <summary>
    /// Moves a received message to <see cref="PoisonQueueName"/>: puts a copy of its raw text (encoding kept, as the
    /// Functions host does), then deletes the original. The poison queue is created on first use. If the delete fails
    /// the copy stays, so a poison message is never lost, at worst duplicated.
    /// </summary>
    /// <param name="message">The received message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The receipt of the copy in the poison queue.</returns>
    public virtual async Task<QueueSendReceipt> MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var poison = GetPoisonQueueClient();
        if (Volatile.Read(ref _poisonQueueCreated) == 0)
        {
            await poison.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _poisonQueueCreated, 1);
        }

        var receipt = await poison.SendRawMessageAsync(message.RawText, timeToLive: InfiniteTimeToLive, cancellationToken: cancellationToken).ConfigureAwait(false);
        await DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        return receipt;
    }

    /// <summary>A client for <see cref="PoisonQueueName"/> with the same connection and options (for the poison consumer).</summary>
    /// <returns>The poison queue client.</returns>
    public virtual StorageQueueClient GetPoisonQueueClient() =>
        _poisonQueue ??= new StorageQueueClient(_connection, PoisonQueueName, _options);

    /// <summary>Undoes <see cref="MessageEncoding"/>; null when the raw text is not Base64 of valid UTF-8.</summary>
    /// <param name="rawText">The stored <c>MessageText</c>.</param>
    /// <returns>The text, or null.</returns>
    public string? Decode(string rawText)
    {
        ArgumentNullException.ThrowIfNull(rawText);
        if (MessageEncoding == QueueMessageEncoding.None)
        {
            return rawText;
        }

        var buffer = new byte[rawText.Length];
        if (!Convert.TryFromBase64String(rawText, buffer, out var written))
        {
            return null;
        }

        try
        {
            return s_strictUtf8.GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static QueueSendReceipt ToReceipt(Azure.Storage.Queues.Models.SendReceipt receipt) =>
        new(receipt.MessageId, receipt.PopReceipt, receipt.InsertionTime, receipt.ExpirationTime, receipt.TimeNextVisible);
}
