using System.Text.Json;
using Azure;

namespace GitOps.Storage.Blobs;

/// <summary>
/// JSON documents in blobs with ETag guards: create-only (replay protection, first writer wins), replace-if-match
/// (optimistic concurrency), unconditional put, and listing by prefix. Conflicts come back as
/// <see cref="JsonBlobWriteResult"/> values, not exceptions, because they are expected under concurrency.
/// </summary>
public sealed class JsonBlobStore
{
    private const string JsonContentType = "application/json; charset=utf-8";
    private readonly StorageBlobClient _blobs;
    private readonly JsonSerializerOptions _serializerOptions;

    /// <summary>Creates a store over one container.</summary>
    /// <param name="blobs">The container client.</param>
    /// <param name="serializerOptions">JSON options; <see cref="JsonSerializerDefaults.Web"/> when null.</param>
    public JsonBlobStore(StorageBlobClient blobs, JsonSerializerOptions? serializerOptions = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        _serializerOptions = serializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <summary>The container client underneath, for leases and raw access.</summary>
    public StorageBlobClient Blobs => _blobs;

    /// <summary>Reads and deserializes a document.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="name">The blob name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The document and its ETag, or null when the blob does not exist.</returns>
    /// <exception cref="InvalidDataException">The blob is not valid JSON for <typeparamref name="T"/>; the message names the blob.</exception>
    public async Task<JsonBlob<T>?> GetAsync<T>(string name, CancellationToken cancellationToken = default)
    {
        BlobDownloadResult? blob = await _blobs.DownloadAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        T? value;
        try
        {
            value = blob.Content.ToObjectFromJson<T>(_serializerOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"Blob '{_blobs.ContainerName}/{name}' is not a valid {typeof(T).Name} JSON document: {ex.Message}", ex);
        }

        if (value is null)
        {
            throw new InvalidDataException($"Blob '{_blobs.ContainerName}/{name}' holds JSON null, not a {typeof(T).Name} document.");
        }

        return new JsonBlob<T>(name, value, blob.Properties.ETag, blob.Properties.LastModified);
    }

    /// <summary>Writes a document only if the blob does not exist (<c>If-None-Match: *</c>).</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="name">The blob name.</param>
    /// <param name="value">The document.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Written with its ETag, or <see cref="StorageConditionFailure.BlobAlreadyExists"/>.</returns>
    public Task<JsonBlobWriteResult> TryCreateAsync<T>(string name, T value, CancellationToken cancellationToken = default) =>
        TryWriteAsync(name, value, BlobRequestConditions.CreateOnly(), cancellationToken);

    /// <summary>Replaces a document only if it still has <paramref name="ifMatch"/> (<c>If-Match</c>).</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="name">The blob name.</param>
    /// <param name="value">The new document.</param>
    /// <param name="ifMatch">The ETag read with the previous version.</param>
    /// <param name="leaseId">The lease id when the blob is leased.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Written with its new ETag, or the failed condition (<see cref="StorageConditionFailure.ConditionNotMet"/>, a lease problem).</returns>
    public Task<JsonBlobWriteResult> TryReplaceAsync<T>(string name, T value, ETag ifMatch, string? leaseId = null, CancellationToken cancellationToken = default) =>
        TryWriteAsync(name, value, BlobRequestConditions.IfMatchETag(ifMatch, leaseId), cancellationToken);

    /// <summary>Writes a document unconditionally (last writer wins), passing the lease id if given.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="name">The blob name.</param>
    /// <param name="value">The document.</param>
    /// <param name="leaseId">The lease id when the blob is leased.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new ETag.</returns>
    /// <exception cref="StorageConditionFailedException">The blob is leased and the lease id is missing or wrong.</exception>
    public async Task<ETag> PutAsync<T>(string name, T value, string? leaseId = null, CancellationToken cancellationToken = default)
    {
        BlobUploadResult result = await _blobs.UploadAsync(
            name,
            Serialize(value),
            JsonContentType,
            leaseId is null ? null : BlobRequestConditions.WithLease(leaseId),
            cancellationToken).ConfigureAwait(false);
        return result.ETag;
    }

    /// <summary>Deletes a document, optionally only if it still has <paramref name="ifMatch"/>.</summary>
    /// <param name="name">The blob name.</param>
    /// <param name="ifMatch">The ETag it must still have, or null for unconditional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if deleted; false if it did not exist.</returns>
    /// <exception cref="StorageConditionFailedException">The ETag no longer matches.</exception>
    public Task<bool> DeleteAsync(string name, ETag? ifMatch = null, CancellationToken cancellationToken = default) =>
        _blobs.DeleteIfExistsAsync(name, ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null, cancellationToken);

    /// <summary>Lists the documents under a prefix (names, ETags, sizes), following continuation markers.</summary>
    /// <param name="prefix">The name prefix, for example <c>runs/prod/</c>.</param>
    /// <param name="pageSize">Results per request; the service default when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries in name order.</returns>
    public IAsyncEnumerable<BlobItem> ListAsync(string prefix, int? pageSize = null, CancellationToken cancellationToken = default) =>
        _blobs.ListBlobsAsync(prefix, pageSize, cancellationToken);

    /// <summary>Reads one page of the documents under a prefix, for callers that page on request (an API with a continuation token).</summary>
    /// <param name="prefix">The name prefix.</param>
    /// <param name="marker">The previous page's <see cref="BlobListPage.NextMarker"/>, or null.</param>
    /// <param name="pageSize">Results per page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public Task<BlobListPage> ListPageAsync(string prefix, string? marker, int? pageSize = null, CancellationToken cancellationToken = default) =>
        _blobs.ListBlobsPageAsync(prefix, marker, pageSize, cancellationToken);

    private async Task<JsonBlobWriteResult> TryWriteAsync<T>(string name, T value, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        try
        {
            BlobUploadResult result = await _blobs.UploadAsync(name, Serialize(value), JsonContentType, conditions, cancellationToken).ConfigureAwait(false);
            return JsonBlobWriteResult.Written(result.ETag);
        }
        catch (StorageConditionFailedException ex)
        {
            return JsonBlobWriteResult.Conflicted(ex.Condition);
        }
    }

    private BinaryData Serialize<T>(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return BinaryData.FromObjectAsJson(value, _serializerOptions);
    }
}
