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
    /// The result; <see cref="WebhookOutcome.Duplicate"/> when the delivery id, or the signed content under any id
    /// (<see cref="WebhookReplayKey"/>), was seen before. Deliveries that fail authentication are never recorded, so a
    /// forger cannot burn real delivery ids.
    /// </returns>
    public async Task<WebhookResult> ReceiveAsync(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, WebhookProvider? provider = null, CancellationToken cancellationToken = default)
    {
        var result = _inspector.Inspect(headers, body.Span, provider);
        if (result.Outcome != WebhookOutcome.Accepted || result.Event is not { } accepted)
        {
            return result;
        }

        // The delivery id is an unsigned header: a replay with a fresh (or no) id is caught by what is signed.
        var replayKey = WebhookReplayKey.Compute(accepted, body.Span);
        result = result with { ReplayKey = replayKey };
        if (accepted.DeliveryId is { Length: > 0 } deliveryId
            && !await _deliveryLog.TryRecordAsync(accepted.Provider.ToWireName(), deliveryId, cancellationToken).ConfigureAwait(false))
        {
            return result with { Outcome = WebhookOutcome.Duplicate, ReplayKey = null, Message = $"Delivery {deliveryId} was already received; ignored as a replay." };
        }

        // Not cancelled half-way: with the id recorded, the caller forgets both or neither when it cannot queue the push.
        if (!await _deliveryLog.TryRecordAsync(WebhookReplayKey.LogName(accepted.Provider), replayKey, CancellationToken.None).ConfigureAwait(false))
        {
            return result with { Outcome = WebhookOutcome.Duplicate, ReplayKey = null, Message = accepted.PullRequest is { } pr
                ? $"This pull-request event (#{pr.Number} at {pr.HeadSha}) was already received under another delivery id; ignored as a replay."
                : $"This push ({accepted.Ref} {accepted.Before} -> {accepted.After}) was already received under another delivery id; ignored as a replay." };
        }

        return result;
    }
}
