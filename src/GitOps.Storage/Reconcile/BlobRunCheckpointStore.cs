using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Storage.Blobs;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// The checkpoint of the run that holds an environment, as one blob beside its state:
/// <c>environments/&lt;repository&gt;/&lt;environment&gt;/checkpoint.json.gz</c> (<see cref="RunCheckpointJson"/>: gzip JSON),
/// guarded by its ETag like the state (<see cref="ConditionalUpload"/>: create-only first, then <c>If-Match</c>; another
/// writer's version, or a delete since it was read, becomes <see cref="ConcurrencyConflictException"/>).
/// </summary>
public sealed class BlobRunCheckpointStore : IRunCheckpointStore
{
    private readonly BlobContainerClient _blobs;

    /// <summary>Creates the store over the reconciler's container (which must exist; see <see cref="GitOpsStorage"/>).</summary>
    /// <param name="blobs">The container client.</param>
    public BlobRunCheckpointStore(BlobContainerClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is not <c>repository/environment</c>.</exception>
    public async Task<StoredRunCheckpoint?> GetAsync(string environmentKey, CancellationToken cancellationToken = default)
    {
        StorageLayout.ValidateEnvironmentKey(environmentKey, nameof(environmentKey));
        var name = StorageLayout.CheckpointBlob(environmentKey);
        var blob = await BlobReads.DownloadOrNullAsync(_blobs.GetBlobClient(name), cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        var etag = blob.Details.ETag.ToString();
        try
        {
            return new StoredRunCheckpoint(RunCheckpointJson.Deserialize(blob.Content.ToMemory().Span), etag);
        }
        catch (FormatException error)
        {
            return new StoredRunCheckpoint(null, etag, $"'{_blobs.Name}/{name}': {error.Message}");
        }
    }

    /// <inheritdoc />
    public async Task<string> SaveAsync(RunCheckpoint checkpoint, string? etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var key = StorageLayout.EnvironmentKeyOf(checkpoint.Repository, checkpoint.Environment, nameof(checkpoint));
        return await ConditionalUpload.UploadAsync(
                _blobs.GetBlobClient(StorageLayout.CheckpointBlob(key)),
                BinaryData.FromBytes(RunCheckpointJson.Serialize(checkpoint)),
                etag,
                new BlobHttpHeaders { ContentType = "application/json", ContentEncoding = "gzip" },
                cancellationToken).ConfigureAwait(false)
            ?? throw new ConcurrencyConflictException($"The checkpoint of environment '{key}' was changed by another writer since it was read.");
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string environmentKey, string etag, CancellationToken cancellationToken = default)
    {
        StorageLayout.ValidateEnvironmentKey(environmentKey, nameof(environmentKey));
        ArgumentException.ThrowIfNullOrWhiteSpace(etag);
        try
        {
            await _blobs.GetBlobClient(StorageLayout.CheckpointBlob(environmentKey)).DeleteIfExistsAsync(
                conditions: new BlobRequestConditions { IfMatch = new ETag(etag) },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 409)
        {
            throw new ConcurrencyConflictException($"The checkpoint of environment '{environmentKey}' was replaced since it was read.");
        }
    }
}
