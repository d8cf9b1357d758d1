using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Storage.Blobs;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// Environment state as JSON blobs (<see cref="RunJson"/>) at <c>environments/&lt;repository&gt;/&lt;environment&gt;/state.json</c>,
/// guarded by the blob's ETag: the first write is create-only (<c>If-None-Match: *</c>), later ones <c>If-Match</c> the ETag
/// read, so two writers (a reconcile and a suspend through the api) never silently overwrite each other.
/// </summary>
public sealed class BlobEnvironmentStateStore : IEnvironmentStateStore
{
    private const string JsonContentType = "application/json; charset=utf-8";
    private readonly BlobContainerClient _blobs;

    /// <summary>Creates the store over the reconciler's container (which must exist; see <see cref="GitOpsStorage"/>).</summary>
    /// <param name="blobs">The container client.</param>
    public BlobEnvironmentStateStore(BlobContainerClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The key is not <c>repository/environment</c>.</exception>
    /// <exception cref="InvalidDataException">The stored state is not valid JSON; the message names the blob.</exception>
    public async Task<(EnvironmentState State, string ETag)?> GetAsync(string environmentKey, CancellationToken cancellationToken = default)
    {
        StorageLayout.ValidateEnvironmentKey(environmentKey, nameof(environmentKey));
        var name = StorageLayout.StateBlob(environmentKey);
        var blob = await BlobReads.DownloadOrNullAsync(_blobs.GetBlobClient(name), cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        EnvironmentState state;
        try
        {
            state = RunJson.DeserializeState(blob.Content.ToString());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
        {
            throw new InvalidDataException($"Environment state '{_blobs.Name}/{name}' is not valid JSON: {ex.Message}", ex);
        }

        return (state, blob.Details.ETag.ToString());
    }

    /// <inheritdoc />
    public async Task<string> SaveAsync(EnvironmentState state, string? etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var key = StorageLayout.EnvironmentKeyOf(state.Repository, state.Environment, nameof(state));
        if (etag is not null && string.IsNullOrWhiteSpace(etag))
        {
            throw new ArgumentException("An ETag must be the value GetAsync returned, or null for a first write.", nameof(etag));
        }

        return await ConditionalUpload.UploadAsync(
                _blobs.GetBlobClient(StorageLayout.StateBlob(key)),
                BinaryData.FromString(RunJson.Serialize(state)),
                etag,
                new BlobHttpHeaders { ContentType = JsonContentType },
                cancellationToken).ConfigureAwait(false)
            ?? throw new ConcurrencyConflictException(etag is null
                ? $"The state of environment '{key}' was created by another writer meanwhile; read it again and merge."
                : $"The state of environment '{key}' was changed (or deleted) by another writer since it was read; read it again and merge.");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var item in _blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: StorageLayout.EnvironmentsPrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // environments/<repository>/<environment>/state.json; lock blobs and anything else are skipped.
            var parts = item.Name.Split('/');
            if (parts.Length == 4 && parts[3] == StorageLayout.StateFileName && StorageLayout.IsPlainSegment(parts[1]) && StorageLayout.IsPlainSegment(parts[2]))
            {
                keys.Add($"{parts[1]}/{parts[2]}");
            }
        }

        return keys;
    }
}
