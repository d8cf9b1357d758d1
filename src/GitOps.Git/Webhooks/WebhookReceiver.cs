namespace GitOps.Git.Webhooks;

/// <summary>
/// Inspects a delivery and, for an authentic push, records its delivery id so a replay is answered as a duplicate.
/// </summary>
public sealed class WebhookReceiver
{
    private readonly WebhookInspector _inspector;
    private readonly IDeliveryLog _deliveryLog;

    /// <summary>Creates a receiver.</summary>
    public WebhookReceiver(WebhookReceiverOptions options, IDeliveryLog deliveryLog)
    {
        ArgumentNullException.ThrowIfNull(deliveryLog);
        _inspector = new WebhookInspector(options);
        _deliveryLog = deliveryLog;
    }

    /// <summary>Verifies, parses and de-duplicates a delivery.</summary>
    /// <param name="headers">The request headers (names compared case-insensitively).</param>
    /// <param name="body">The exact request body bytes.</param>
    /// <param name="provider">The provider when the route says it; null to detect it.</param>
    /// <param name="cancellationToken">Cancels recording the delivery.</param>
    /// <returns>
    /// The result; <see cref="WebhookOutcome.Duplicate"/> when the delivery id was seen before. Deliveries that fail
    /// authentication are never recorded, so a forger cannot burn real delivery ids.
    /// </returns>
    public async Task<WebhookResult> ReceiveAsync(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, WebhookProvider? provider = null, CancellationToken cancellationToken = default)
    {
        var result = _inspector.Inspect(headers, body.Span, provider);
        if (result.Outcome != WebhookOutcome.Accepted || result.Event?.DeliveryId is not { Length: > 0 } deliveryId)
        {
            return result;
        }

        var first = await _deliveryLog.TryRecordAsync(result.Event.Provider.ToWireName(), deliveryId, cancellationToken).ConfigureAwait(false);
        return first
            ? result
            : result with { Outcome = WebhookOutcome.Duplicate, Message = $"Delivery {deliveryId} was already received; ignored as a replay." };
    }
}
