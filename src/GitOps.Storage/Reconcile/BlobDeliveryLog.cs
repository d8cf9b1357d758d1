using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// Webhook replay protection: one create-only blob per delivery at <c>deliveries/&lt;provider&gt;/&lt;delivery id&gt;</c>.
/// The first record of a delivery wins; a replay (or the provider's redelivery) of the same id finds the blob.
/// Shaped like <c>GitOps.Git.Webhooks.IDeliveryLog</c>, which the hosting layer adapts it to (this project may not
/// reference the git adapter). Entries expire: <see cref="Retention.RetentionCleaner"/> deletes those older than <see cref="Retention.RetentionOptions.DeliveryMaxAge"/>.
/// </summary>
public sealed class BlobDeliveryLog
{
    /// <summary>The longest delivery id accepted (provider ids are GUIDs or shorter).</summary>
    public const int MaxDeliveryIdLength = 200;

    /// <summary>The metadata key holding when an entry was recorded (UTC ticks, from the log's clock).</summary>
    internal const string RecordedAtMetadata = "recordedat";

    private readonly BlobContainerClient _blobs;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the log over the reconciler's container (which must exist; see <see cref="GitOpsStorage"/>).</summary>
    /// <param name="blobs">The container client.</param>
    /// <param name="timeProvider">The clock for the recorded time.</param>
    public BlobDeliveryLog(BlobContainerClient blobs, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Records a delivery; false when it was already recorded (a replay or a redelivery).</summary>
    /// <param name="provider">The provider, e.g. <c>github</c> (letters, digits and '-'; stored lower case).</param>
    /// <param name="deliveryId">The provider's delivery id (1-200 printable characters).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when this call recorded it first.</returns>
    /// <exception cref="ArgumentException">The provider or delivery id is not acceptable; the message says why.</exception>
    public async Task<bool> TryRecordAsync(string provider, string deliveryId, CancellationToken cancellationToken = default)
    {
        var name = BlobName(provider, deliveryId);
        var now = _timeProvider.GetUtcNow();
        var record = new JsonObject
        {
            ["provider"] = provider.ToLowerInvariant(),
            ["deliveryId"] = deliveryId,
            ["recordedAt"] = now.ToString("O"),
        };
        try
        {
            await _blobs.GetBlobClient(name).UploadAsync(
                BinaryData.FromString(record.ToJsonString()),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" },

                    // Read back by the retention cleaner from the listing alone (no download per entry).
                    Metadata = new Dictionary<string, string> { [RecordedAtMetadata] = now.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes a delivery's record, so that the provider's redelivery is accepted: call it when the delivery was
    /// recorded but its jobs could not be enqueued (then answer 5xx).
    /// </summary>
    /// <param name="provider">The provider.</param>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when a record was removed.</returns>
    public async Task<bool> ForgetAsync(string provider, string deliveryId, CancellationToken cancellationToken = default) =>
        (await _blobs.GetBlobClient(BlobName(provider, deliveryId)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;

    private static string BlobName(string provider, string deliveryId)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(deliveryId);
        if (provider.Length is 0 or > 40 || !provider.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException($"Provider '{StorageLayout.Shorten(provider)}' must be 1-40 letters, digits or '-', e.g. github.", nameof(provider));
        }

        if (deliveryId.Length is 0 or > MaxDeliveryIdLength || deliveryId.Any(char.IsControl) || deliveryId is "." or "..")
        {
            throw new ArgumentException(
                $"Delivery id must be 1-{MaxDeliveryIdLength} printable characters (and not '.' or '..'); got {deliveryId.Length} character(s).",
                nameof(deliveryId));
        }

        // Escaping keeps any id to one name segment ('/' becomes %2F) and is one-to-one, so distinct ids never share a blob.
        return $"{StorageLayout.DeliveriesPrefix}{provider.ToLowerInvariant()}/{Uri.EscapeDataString(deliveryId)}";
    }
}
