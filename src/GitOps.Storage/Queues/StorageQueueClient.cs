using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace GitOps.Storage.Queues;

/// <summary>
/// One Azure Storage queue over the Queue REST API (x-ms-version pinned, SharedKey or bearer auth, Azure.Core retries).
/// Messages are Base64(UTF-8) by default, the encoding the Azure Functions queue trigger expects.
/// </summary>
public class StorageQueueClient
{
    /// <summary>The largest <c>MessageText</c> the service accepts, in UTF-8 bytes as sent (after Base64 when encoding).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The most messages one Get Messages or Peek Messages call returns.</summary>
    public const int MaxMessagesPerCall = 32;

    /// <summary>The longest visibility timeout or delay the service accepts.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>A time-to-live meaning "never expire" (sent as <c>messagettl=-1</c>).</summary>
    public static readonly TimeSpan InfiniteTimeToLive = TimeSpan.FromSeconds(-1);

    private readonly StoragePipeline _pipeline;
    private readonly StorageQueueClientOptions _options;
    private StorageQueueClient? _poisonQueue;
    private int _poisonQueueCreated;

    /// <summary>Creates a client for one queue.</summary>
    /// <param name="connection">The account and credential; must have a queue endpoint.</param>
    /// <param name="queueName">The queue name (3-63 lowercase letters, digits, single hyphens).</param>
    /// <param name="options">Encoding, retry and transport options.</param>
    public StorageQueueClient(StorageConnection connection, string queueName, StorageQueueClientOptions? options = null)
        : this(StoragePipeline.Create(connection, options ??= new StorageQueueClientOptions()), queueName, options)
    {
    }

    private StorageQueueClient(StoragePipeline pipeline, string queueName, StorageQueueClientOptions options)
    {
        StorageNames.ValidateQueueOrContainerName(queueName, "Queue", nameof(queueName));
        Uri endpoint = pipeline.Connection.QueueEndpoint
            ?? throw new ArgumentException(
                $"The storage connection for account '{pipeline.Connection.AccountName}' has no queue endpoint; set QueueEndpoint or a queue service URI.",
                nameof(pipeline));
        _pipeline = pipeline;
        _options = options;
        Name = queueName;
        Uri = new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{queueName}");
    }

    /// <summary>The queue name.</summary>
    public string Name { get; }

    /// <summary>The queue URL.</summary>
    public Uri Uri { get; }

    /// <summary>The encoding applied by <see cref="SendMessageAsync"/> and undone on receive and peek.</summary>
    public QueueMessageEncoding MessageEncoding => _options.MessageEncoding;

    /// <summary>The name of the queue <see cref="MoveToPoisonAsync"/> moves messages to.</summary>
    public string PoisonQueueName => Name + _options.PoisonQueueSuffix;

    /// <summary>Creates the queue if it does not exist.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if created; false if it already existed (204, or 409 <c>QueueAlreadyExists</c> with other metadata).</returns>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using Request request = CreateRequest(RequestMethod.Put);
        try
        {
            using Response response = await SendAsync(request, "Create queue", cancellationToken, 201, 204).ConfigureAwait(false);
            return response.Status == 201;
        }
        catch (StorageRequestException ex) when (ex.ErrorCode == StorageErrorCodes.QueueAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Deletes the queue and its messages if it exists.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if deleted; false if it did not exist.</returns>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using Request request = CreateRequest(RequestMethod.Delete);
        try
        {
            using Response response = await SendAsync(request, "Delete queue", cancellationToken, 204).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Enqueues a message, encoded with <see cref="MessageEncoding"/>.</summary>
    /// <param name="messageText">The text, typically a JSON document.</param>
    /// <param name="visibilityDelay">How long the message stays invisible after insertion (0 to 7 days; default 0).</param>
    /// <param name="timeToLive">How long it lives (default 7 days; <see cref="InfiniteTimeToLive"/> for never). Must exceed the delay.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new message's id, pop receipt and times.</returns>
    /// <exception cref="ArgumentException">The encoded message exceeds <see cref="MaxMessageBytes"/>, or a time is out of range.</exception>
    public Task<QueueSendReceipt> SendMessageAsync(
        string messageText,
        TimeSpan? visibilityDelay = null,
        TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        return SendRawMessageAsync(Encode(messageText), visibilityDelay, timeToLive, cancellationToken);
    }

    /// <summary>Enqueues text exactly as given, without applying <see cref="MessageEncoding"/> (used to copy a message byte for byte).</summary>
    /// <param name="rawText">The <c>MessageText</c> to store.</param>
    /// <param name="visibilityDelay">How long the message stays invisible after insertion.</param>
    /// <param name="timeToLive">How long it lives.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new message's id, pop receipt and times.</returns>
    public async Task<QueueSendReceipt> SendRawMessageAsync(
        string rawText,
        TimeSpan? visibilityDelay = null,
        TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rawText);
        int size = Encoding.UTF8.GetByteCount(rawText);
        if (size > MaxMessageBytes)
        {
            string hint = _options.MessageEncoding == QueueMessageEncoding.Base64
                ? " (Base64 adds a third: the raw UTF-8 limit is about 48 KiB)"
                : string.Empty;
            throw new ArgumentException(
                $"Queue message for '{Name}' is {size:N0} bytes as sent; the limit is {MaxMessageBytes:N0}{hint}. " +
                "Store large payloads in a blob and enqueue a reference.",
                nameof(rawText));
        }

        if (timeToLive is { } ttl && ttl != InfiniteTimeToLive && ttl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "The time-to-live must be at least 1 second, or InfiniteTimeToLive.");
        }

        if (visibilityDelay is { } delay && timeToLive is { } limit && limit != InfiniteTimeToLive && delay >= limit)
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityDelay), delay, "The visibility delay must be shorter than the time-to-live.");
        }

        using Request request = CreateRequest(RequestMethod.Post, "/messages");
        if (visibilityDelay is { } vt)
        {
            request.Uri.AppendQuery("visibilitytimeout", Seconds(vt, nameof(visibilityDelay)));
        }

        if (timeToLive is { } messageTtl)
        {
            request.Uri.AppendQuery("messagettl", messageTtl == InfiniteTimeToLive ? "-1" : WholeSeconds(messageTtl).ToString(CultureInfo.InvariantCulture));
        }

        request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        request.Content = RequestContent.Create(MessageXml(rawText));
        using Response response = await SendAsync(request, "Put message", cancellationToken, 201).ConfigureAwait(false);
        XElement message = ParseMessages(response).FirstOrDefault()
            ?? throw UnexpectedResponse("Put message", "no QueueMessage element");
        return new QueueSendReceipt(
            Required(message, "MessageId"),
            Required(message, "PopReceipt"),
            Time(message, "InsertionTime"),
            Time(message, "ExpirationTime"),
            Time(message, "TimeNextVisible"));
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> messages and hides them for <paramref name="visibilityTimeout"/>.</summary>
    /// <param name="maxMessages">1 to 32.</param>
    /// <param name="visibilityTimeout">How long they stay invisible (default 30 s; 1 s to 7 days).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The messages, possibly none.</returns>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(
        int maxMessages = 1,
        TimeSpan? visibilityTimeout = null,
        CancellationToken cancellationToken = default)
    {
        ValidateCount(maxMessages);
        using Request request = CreateRequest(RequestMethod.Get, "/messages");
        request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        if (visibilityTimeout is { } vt)
        {
            if (vt < TimeSpan.FromSeconds(1))
            {
                throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), vt, "A receive visibility timeout must be at least 1 second.");
            }

            request.Uri.AppendQuery("visibilitytimeout", Seconds(vt, nameof(visibilityTimeout)));
        }

        using Response response = await SendAsync(request, "Get messages", cancellationToken, 200).ConfigureAwait(false);
        return ParseMessages(response).Select(m =>
        {
            string raw = m.Element("MessageText")?.Value ?? string.Empty;
            return new QueueMessage(
                Required(m, "MessageId"),
                Required(m, "PopReceipt"),
                long.Parse(Required(m, "DequeueCount"), CultureInfo.InvariantCulture),
                Time(m, "InsertionTime"),
                Time(m, "ExpirationTime"),
                Time(m, "TimeNextVisible"),
                raw,
                Decode(raw));
        }).ToList();
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> visible messages without receiving them.</summary>
    /// <param name="maxMessages">1 to 32.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The messages, possibly none.</returns>
    public async Task<IReadOnlyList<PeekedQueueMessage>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ValidateCount(maxMessages);
        using Request request = CreateRequest(RequestMethod.Get, "/messages");
        request.Uri.AppendQuery("peekonly", "true");
        request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        using Response response = await SendAsync(request, "Peek messages", cancellationToken, 200).ConfigureAwait(false);
        return ParseMessages(response).Select(m =>
        {
            string raw = m.Element("MessageText")?.Value ?? string.Empty;
            return new PeekedQueueMessage(
                Required(m, "MessageId"),
                long.Parse(Required(m, "DequeueCount"), CultureInfo.InvariantCulture),
                Time(m, "InsertionTime"),
                Time(m, "ExpirationTime"),
                raw,
                Decode(raw));
        }).ToList();
    }

    /// <summary>Deletes a received message.</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="popReceipt">The current pop receipt (the latest one if the message was updated).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StorageRequestException">400 <c>PopReceiptMismatch</c> (someone else received it since) or 404 <c>MessageNotFound</c>.</exception>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using Request request = CreateMessageRequest(RequestMethod.Delete, messageId, popReceipt);
        using Response response = await SendAsync(request, "Delete message", cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>Changes how long a received message stays invisible (extend while working, or 0 to release it now).</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="popReceipt">The current pop receipt.</param>
    /// <param name="visibilityTimeout">From now, 0 to 7 days.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new pop receipt (the old one stops working) and the next visible time.</returns>
    public async Task<QueueUpdateReceipt> UpdateVisibilityAsync(
        string messageId,
        string popReceipt,
        TimeSpan visibilityTimeout,
        CancellationToken cancellationToken = default)
    {
        using Request request = CreateMessageRequest(RequestMethod.Put, messageId, popReceipt);
        request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout, nameof(visibilityTimeout)));
        using Response response = await SendAsync(request, "Update message", cancellationToken, 204).ConfigureAwait(false);
        if (!response.Headers.TryGetValue("x-ms-popreceipt", out string? newReceipt)
            || !response.Headers.TryGetValue("x-ms-time-next-visible", out string? nextVisible))
        {
            throw UnexpectedResponse("Update message", "no x-ms-popreceipt or x-ms-time-next-visible header");
        }

        return new QueueUpdateReceipt(newReceipt, ParseTime(nextVisible));
    }

    /// <summary>Deletes every message in the queue.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ClearMessagesAsync(CancellationToken cancellationToken = default)
    {
        using Request request = CreateRequest(RequestMethod.Delete, "/messages");
        using Response response = await SendAsync(request, "Clear messages", cancellationToken, 204).ConfigureAwait(false);
    }

    /// <summary>The approximate number of messages (visible and invisible), from the queue metadata.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approximate count.</returns>
    public async Task<long> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        using Request request = CreateRequest(RequestMethod.Get);
        request.Uri.AppendQuery("comp", "metadata");
        using Response response = await SendAsync(request, "Get queue metadata", cancellationToken, 200).ConfigureAwait(false);
        return response.Headers.TryGetValue("x-ms-approximate-messages-count", out string? count)
            ? long.Parse(count, CultureInfo.InvariantCulture)
            : throw UnexpectedResponse("Get queue metadata", "no x-ms-approximate-messages-count header");
    }

    /// <summary>
    /// Moves a received message to <see cref="PoisonQueueName"/>: puts a copy of its raw text (encoding kept, as the
    /// Functions host does), then deletes the original. The poison queue is created on first use. If the delete fails
    /// the copy stays, so a poison message is never lost, at worst duplicated.
    /// </summary>
    /// <param name="message">The received message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The receipt of the copy in the poison queue.</returns>
    public async Task<QueueSendReceipt> MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        StorageQueueClient poison = GetPoisonQueueClient();
        if (Volatile.Read(ref _poisonQueueCreated) == 0)
        {
            await poison.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _poisonQueueCreated, 1);
        }

        QueueSendReceipt receipt = await poison.SendRawMessageAsync(message.RawText, timeToLive: InfiniteTimeToLive, cancellationToken: cancellationToken).ConfigureAwait(false);
        await DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        return receipt;
    }

    /// <summary>A client for <see cref="PoisonQueueName"/> sharing this client's pipeline, options and token cache (for the poison consumer).</summary>
    /// <returns>The poison queue client.</returns>
    public StorageQueueClient GetPoisonQueueClient() =>
        _poisonQueue ??= new StorageQueueClient(_pipeline, PoisonQueueName, _options);

    /// <summary>Applies <see cref="MessageEncoding"/> to text (what <see cref="SendMessageAsync"/> stores).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The raw <c>MessageText</c>.</returns>
    public string Encode(string text) => _options.MessageEncoding == QueueMessageEncoding.Base64
        ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text))
        : text;

    /// <summary>Undoes <see cref="MessageEncoding"/>; null when the raw text is not Base64 of valid UTF-8.</summary>
    /// <param name="rawText">The stored <c>MessageText</c>.</param>
    /// <returns>The text, or null.</returns>
    public string? Decode(string rawText)
    {
        ArgumentNullException.ThrowIfNull(rawText);
        if (_options.MessageEncoding == QueueMessageEncoding.None)
        {
            return rawText;
        }

        byte[] buffer = new byte[rawText.Length];
        if (!Convert.TryFromBase64String(rawText, buffer, out int written))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private Request CreateRequest(RequestMethod method, string? path = null)
    {
        Request request = _pipeline.CreateRequest(method, Uri);
        if (path is not null)
        {
            request.Uri.AppendPath(path, escape: false);
        }

        return request;
    }

    private Request CreateMessageRequest(RequestMethod method, string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        Request request = CreateRequest(method, "/messages/");
        request.Uri.AppendPath(messageId, escape: true);
        // AppendQuery escapes with EscapeDataString: '+', '/' and '=' in receipts survive (Azurite reads a bare '+' as a space).
        request.Uri.AppendQuery("popreceipt", popReceipt, escapeValue: true);
        return request;
    }

    private Task<Response> SendAsync(Request request, string operation, CancellationToken cancellationToken, params int[] expected) =>
        _pipeline.SendAsync(request, operation, Name, cancellationToken, expected);

    private static byte[] MessageXml(string rawText)
    {
        // Entitize line breaks: an XML parser turns a literal CR LF into LF, which would change the message text.
        var settings = new XmlWriterSettings
        {
            OmitXmlDeclaration = true,
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            NewLineHandling = NewLineHandling.Entitize,
        };
        try
        {
            using var buffer = new MemoryStream();
            using (var writer = XmlWriter.Create(buffer, settings))
            {
                writer.WriteStartElement("QueueMessage");
                writer.WriteElementString("MessageText", rawText);
                writer.WriteEndElement();
            }

            return buffer.ToArray();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(
                "The message text contains characters XML cannot carry; use QueueMessageEncoding.Base64.", nameof(rawText), ex);
        }
    }

    private static IEnumerable<XElement> ParseMessages(Response response)
    {
        try
        {
            return StorageXml.Parse(response.Content).Elements("QueueMessage").ToList();
        }
        catch (XmlException ex)
        {
            throw new InvalidOperationException($"The queue service returned XML that could not be read: {ex.Message}", ex);
        }
    }

    private InvalidOperationException UnexpectedResponse(string operation, string what) =>
        new($"{operation} '{Name}' succeeded but the response had {what}.");

    private static string Required(XElement message, string name) =>
        message.Element(name)?.Value
        ?? throw new InvalidOperationException($"The queue service response lacks <{name}>.");

    private static DateTimeOffset Time(XElement message, string name) => ParseTime(Required(message, name));

    private static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static void ValidateCount(int maxMessages)
    {
        if (maxMessages is < 1 or > MaxMessagesPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, $"Ask for 1 to {MaxMessagesPerCall} messages.");
        }
    }

    private static string Seconds(TimeSpan value, string parameterName)
    {
        if (value < TimeSpan.Zero || value > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "Visibility times must be between 0 and 7 days.");
        }

        return WholeSeconds(value).ToString(CultureInfo.InvariantCulture);
    }

    // The REST API takes whole seconds; round up so a sub-second request never becomes 0 (immediately visible).
    private static long WholeSeconds(TimeSpan value) => (long)Math.Ceiling(value.TotalSeconds);
}
