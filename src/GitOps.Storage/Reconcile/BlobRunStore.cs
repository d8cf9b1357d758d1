using System.Text.Json;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// Run records as JSON blobs (<see cref="RunJson"/>) in the reconciler's container:
/// <c>runs/&lt;repository&gt;/&lt;environment&gt;/&lt;run id&gt;.json</c>. Run ids (<see cref="RunIds"/>) start with inverted
/// ticks, so a prefix listing, which is in name order, is already newest first.
/// </summary>
/// <remarks>
/// Each run also gets an empty, create-only index blob <c>run-index/&lt;run id&gt;/&lt;repository&gt;/&lt;environment&gt;</c>.
/// Its name carries the environment key, so one index serves both other questions: a run by id is one listing of
/// <c>run-index/&lt;run id&gt;/</c> plus one read, and the newest runs of all environments are the first names under
/// <c>run-index/</c> (ordered by run id across environments, with no merge of per-environment listings). The record is
/// written before its index entry, so an index entry always points at a record.
/// </remarks>
public sealed class BlobRunStore : IRunStore
{
    /// <summary>The most runs one <see cref="ListAsync"/> call returns.</summary>
    public const int MaxListCount = 1000;

    private const string JsonContentType = "application/json; charset=utf-8";
    private const int ReadParallelism = 8;
    private readonly BlobContainerClient _blobs;

    /// <summary>Creates the store over the reconciler's container (which must exist; see <see cref="GitOpsStorage"/>).</summary>
    /// <param name="blobs">The container client.</param>
    public BlobRunStore(BlobContainerClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The run id or environment key cannot name a blob (see <see cref="IsValidRunId"/>).</exception>
    public async Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var key = StorageLayout.EnvironmentKeyOf(run.Repository, run.Environment, nameof(run));
        if (!IsValidRunId(run.RunId))
        {
            throw new ArgumentException(
                $"Run id '{StorageLayout.Shorten(run.RunId)}' cannot name a blob: use 1-100 letters, digits, '.', '_' or '-' (RunIds.New makes such ids).",
                nameof(run));
        }

        await _blobs.GetBlobClient(StorageLayout.RunBlob(key, run.RunId)).UploadAsync(
            BinaryData.FromString(RunJson.Serialize(run)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = JsonContentType } },
            cancellationToken).ConfigureAwait(false);
        try
        {
            await _blobs.GetBlobClient(StorageLayout.RunIndexBlob(run.RunId, key)).UploadAsync(
                BinaryData.Empty,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // The run was saved before (a replacement of the record): its index entry is already there.
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is not 1 to <see cref="MaxListCount"/>.</exception>
    /// <exception cref="InvalidDataException">A stored record is not valid run JSON; the message names the blob.</exception>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(string? environmentKey, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxListCount);
        List<string> names;
        if (environmentKey is not null)
        {
            StorageLayout.ValidateEnvironmentKey(environmentKey, nameof(environmentKey));
            names = await ListNamesAsync(StorageLayout.RunFolder(environmentKey), max, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var index = await ListNamesAsync(StorageLayout.RunIndexPrefix, max, cancellationToken).ConfigureAwait(false);
            names = index.Select(RunBlobFromIndex).OfType<string>().ToList();
        }

        var runs = new RunRecord?[names.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, names.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (i, token) => runs[i] = await ReadAsync(names[i], token).ConfigureAwait(false)).ConfigureAwait(false);

        // A record deleted (retention) between the listing and the read is simply left out.
        return runs.OfType<RunRecord>().ToList();
    }

    /// <inheritdoc />
    /// <remarks>An id that could never have been stored (see <see cref="IsValidRunId"/>) is not found.</remarks>
    /// <exception cref="InvalidDataException">The stored record is not valid run JSON; the message names the blob.</exception>
    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (!IsValidRunId(runId))
        {
            return null;
        }

        string? name = null;
        await foreach (var page in _blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: $"{StorageLayout.RunIndexPrefix}{runId}/", cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).ConfigureAwait(false))
        {
            name = page.Values.Count == 0 ? null : RunBlobFromIndex(page.Values[0].Name);
            break;
        }

        return name is null ? null : await ReadAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="runId"/> can name a run blob: 1-100 letters, digits, '.', '_' or '-', not '.' or '..'.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>True when it can be stored.</returns>
    public static bool IsValidRunId(string runId) => runId is not null && StorageLayout.IsPlainSegment(runId);

    private async Task<List<string>> ListNamesAsync(string prefix, int max, CancellationToken cancellationToken)
    {
        // A page may hold fewer names than asked for (the service may stop early), so follow markers until max.
        var names = new List<string>(max);
        await foreach (var page in _blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: prefix, cancellationToken: cancellationToken).AsPages(pageSizeHint: Math.Min(max, 5000)).ConfigureAwait(false))
        {
            names.AddRange(page.Values.Select(i => i.Name).Take(max - names.Count));
            if (names.Count >= max)
            {
                break;
            }
        }

        return names;
    }

    private async Task<RunRecord?> ReadAsync(string blobName, CancellationToken cancellationToken)
    {
        var blob = await BlobReads.DownloadOrNullAsync(_blobs.GetBlobClient(blobName), cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        try
        {
            return RunJson.DeserializeRun(blob.Content.ToString());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
        {
            throw new InvalidDataException($"Run record '{_blobs.Name}/{blobName}' is not valid run JSON: {ex.Message}", ex);
        }
    }

    private static string? RunBlobFromIndex(string indexName)
    {
        // run-index/<run id>/<repository>/<environment>; anything else under the prefix is not ours and is skipped.
        var parts = indexName.Split('/');
        return parts.Length == 4 && IsValidRunId(parts[1]) && StorageLayout.IsPlainSegment(parts[2]) && StorageLayout.IsPlainSegment(parts[3])
            ? StorageLayout.RunBlob($"{parts[2]}/{parts[3]}", parts[1])
            : null;
    }
}
