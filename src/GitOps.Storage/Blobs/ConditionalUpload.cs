using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace GitOps.Storage.Blobs;

/// <summary>
/// One ETag-guarded blob write (create-only without an ETag, <c>If-Match</c> with one) that stays right when the SDK
/// retries it. A write whose answer is lost (a timeout, a reset connection) is sent again by the SDK; when the first
/// attempt had landed, the retry's condition fails against this writer's own blob, and reading that as "another writer
/// got there first" would stop a run that holds its lease. So each write carries an id in the blob's metadata, and a
/// failed condition is checked against it before it is reported.
/// </summary>
internal static class ConditionalUpload
{
    private const string WriteIdKey = "gitopswrite";

    /// <summary>Writes <paramref name="content"/> if the blob is still at <paramref name="etag"/> (absent when null).</summary>
    /// <returns>The new ETag, or null when another writer's version is there (or it was deleted since it was read).</returns>
    public static async Task<string?> UploadAsync(BlobClient blob, BinaryData content, string? etag, BlobHttpHeaders headers, CancellationToken cancellationToken)
    {
        var writeId = Guid.NewGuid().ToString("N");
        var conditions = etag is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(etag) };
        try
        {
            var result = await blob.UploadAsync(
                content,
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = headers, Metadata = new Dictionary<string, string> { [WriteIdKey] = writeId } },
                cancellationToken).ConfigureAwait(false);
            return result.Value.ETag.ToString();
        }
        catch (RequestFailedException ex) when (IsConditionFailure(ex, etag))
        {
            return await OwnWriteAsync(blob, writeId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True when the answer means the blob is not at the version the writer read: 412 for <c>If-Match</c>, 409
    /// <c>BlobAlreadyExists</c> for a create-only write, 404 for <c>If-Match</c> on a blob deleted since. Any other 409
    /// is the storage failing (a lease on the blob, a full store: Azurite's in-memory store answers
    /// <c>MemoryExtentStoreAtSizeLimit</c>), which a caller must not mistake for another writer.
    /// </summary>
    internal static bool IsConditionFailure(RequestFailedException error, string? etag) => error.Status switch
    {
        412 => true,
        409 => etag is null && string.Equals(error.ErrorCode, "BlobAlreadyExists", StringComparison.Ordinal),
        404 => etag is not null,
        _ => false,
    };

    private static async Task<string?> OwnWriteAsync(BlobClient blob, string writeId, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return properties.Metadata.TryGetValue(WriteIdKey, out var id) && string.Equals(id, writeId, StringComparison.Ordinal)
                ? properties.ETag.ToString()
                : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
