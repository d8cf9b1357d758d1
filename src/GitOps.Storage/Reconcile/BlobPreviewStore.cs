using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// Previews in the reconciler's container, as JSON blobs (names in <see cref="StorageLayout"/>):
/// <c>previews/&lt;repository&gt;/pulls/&lt;number&gt;/head.json</c> (the pull request's current head and environments),
/// <c>previews/&lt;repository&gt;/pulls/&lt;number&gt;/&lt;environment&gt;.json</c> (the latest preview of each
/// environment) and <c>previews/&lt;repository&gt;/commits/&lt;head sha&gt;/&lt;environment&gt;.json</c> (the index the
/// merge's run reads). Last writer wins: each blob says what its writer saw, and the preview handler re-reads after
/// writing the comment until nothing changed under it.
/// </summary>
public sealed class BlobPreviewStore : IPreviewStore
{
    private const string JsonContentType = "application/json; charset=utf-8";
    private readonly BlobContainerClient _blobs;

    /// <summary>Creates the store over the reconciler's container.</summary>
    public BlobPreviewStore(BlobContainerClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
    }

    /// <inheritdoc />
    public Task SaveHeadAsync(PreviewHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        return UploadAsync(StorageLayout.PreviewHeadBlob(head.Repository, head.PullRequest.Number), JsonSerializer.Serialize(head, RunJson.Options), cancellationToken);
    }

    /// <inheritdoc />
    public Task<PreviewHead?> GetHeadAsync(string repository, long number, CancellationToken cancellationToken = default) =>
        ReadAsync<PreviewHead>(StorageLayout.PreviewHeadBlob(repository, number), cancellationToken);

    /// <inheritdoc />
    public async Task SaveAsync(PreviewRecord preview, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var json = JsonSerializer.Serialize(preview, RunJson.Options);
        await UploadAsync(StorageLayout.PreviewByHeadBlob(preview.Repository, preview.Environment, preview.PullRequest.HeadSha), json, cancellationToken).ConfigureAwait(false);
        await UploadAsync(StorageLayout.PreviewBlob(preview.Repository, preview.PullRequest.Number, preview.Environment), json, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<PreviewRecord?> GetAsync(string repository, long number, string environment, CancellationToken cancellationToken = default) =>
        ReadAsync<PreviewRecord>(StorageLayout.PreviewBlob(repository, number, environment), cancellationToken);

    /// <inheritdoc />
    public Task<PreviewRecord?> FindByHeadAsync(string repository, string environment, string headSha, CancellationToken cancellationToken = default) =>
        ReadAsync<PreviewRecord>(StorageLayout.PreviewByHeadBlob(repository, environment, headSha), cancellationToken);

    private Task UploadAsync(string name, string json, CancellationToken cancellationToken) =>
        _blobs.GetBlobClient(name).UploadAsync(
            BinaryData.FromString(json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = JsonContentType } },
            cancellationToken);

    private async Task<T?> ReadAsync<T>(string name, CancellationToken cancellationToken)
        where T : class
    {
        var blob = await BlobReads.DownloadOrNullAsync(_blobs.GetBlobClient(name), cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(blob.Content.ToString(), RunJson.Options);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"Blob '{name}' is not a valid preview document: {error.Message}", error);
        }
    }
}
