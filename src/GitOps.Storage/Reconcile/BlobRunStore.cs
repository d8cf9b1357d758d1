using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Storage.Tables;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// Run records: the full record (plan and results, which can run to megabytes) as a JSON blob
/// <c>runs/&lt;repository&gt;/&lt;environment&gt;/&lt;run id&gt;.json</c>, and its list form in the run ledger
/// (<see cref="TableRunLedger"/>), which answers every listing without reading a record.
/// </summary>
/// <remarks>
/// <para>
/// Write order: the blob first, then the ledger. A writer that dies between them leaves a record that is not yet
/// listed (the next save of the run, which the reconciler makes when the run ends or is found interrupted, or
/// <see cref="ReindexAsync"/> lists it); it never leaves a ledger row that points at nothing. When the reconciler
/// replaces a <c>Running</c> record with the final one and dies before the ledger write, the listing shows
/// <c>Running</c> while the record, read by id, is already final — stale, never missing.
/// </para>
/// <para>
/// Retention deletes the other way round (blob first, then the ledger entities), so its listing keeps finding what
/// a failed pass left half done; a listing tolerates a missing body, and showing such a run answers "not found".
/// </para>
/// </remarks>
public sealed class BlobRunStore : IRunStore
{
    /// <summary>The most runs one <see cref="ListAsync"/> call returns.</summary>
    public const int MaxListCount = 1000;

    private const string JsonContentType = "application/json; charset=utf-8";
    private const int ReadParallelism = 8;
    private readonly BlobContainerClient _blobs;

    /// <summary>Creates the store over the reconciler's container (which must exist; see <see cref="GitOpsStorage"/>) and the ledger.</summary>
    /// <param name="blobs">The container client.</param>
    /// <param name="ledger">The run ledger.</param>
    public BlobRunStore(BlobContainerClient blobs, TableRunLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(ledger);
        _blobs = blobs;
        Ledger = ledger;
    }

    /// <summary>The ledger this store keeps in step with the records.</summary>
    public TableRunLedger Ledger { get; }

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

        var body = StorageLayout.RunBlob(key, run.RunId);
        await _blobs.GetBlobClient(body).UploadAsync(
            BinaryData.FromString(RunJson.Serialize(run)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = JsonContentType } },
            cancellationToken).ConfigureAwait(false);
        await Ledger.SaveAsync(RunSummary.Of(run, body), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>As <c>plans/&lt;repository&gt;/&lt;environment&gt;/&lt;run id&gt;.json</c> (<see cref="RunJson.Serialize(RunDetail)"/>), outside <c>runs/</c> so listings never read it.</remarks>
    /// <exception cref="ArgumentException">The run id or environment key cannot name a blob.</exception>
    public async Task<string?> SaveDetailAsync(RunDetail detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var key = StorageLayout.EnvironmentKeyOf(detail.Repository, detail.Environment, nameof(detail));
        if (!IsValidRunId(detail.RunId))
        {
            throw new ArgumentException($"Run id '{StorageLayout.Shorten(detail.RunId)}' cannot name a blob.", nameof(detail));
        }

        var name = StorageLayout.PlanBlob(key, detail.RunId);
        await _blobs.GetBlobClient(name).UploadAsync(
            BinaryData.FromString(RunJson.Serialize(detail)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = JsonContentType } },
            cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The stored plan is not valid JSON; the message names the blob.</exception>
    public async Task<RunDetail?> GetDetailAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (!IsValidRunId(runId) || await Ledger.FindAsync(runId, cancellationToken).ConfigureAwait(false) is not { } summary)
        {
            return null;
        }

        var name = StorageLayout.PlanBlob(summary.EnvironmentKey, runId);
        var blob = await BlobReads.DownloadOrNullAsync(_blobs.GetBlobClient(name), cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        try
        {
            return RunJson.DeserializeDetail(blob.Content.ToString());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
        {
            throw new InvalidDataException($"Full plan '{_blobs.Name}/{name}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads full records; listings for people (CLI, api, status page) use <see cref="Ledger"/> instead.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is not 1 to <see cref="MaxListCount"/>.</exception>
    /// <exception cref="InvalidDataException">A stored record is not valid run JSON; the message names the blob.</exception>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(string? environmentKey, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxListCount);
        var page = await Ledger.ListAsync(new RunQuery { EnvironmentKey = environmentKey, Top = max }, cancellationToken).ConfigureAwait(false);
        var runs = new RunRecord?[page.Runs.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, page.Runs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (i, token) => runs[i] = await ReadAsync(BodyOf(page.Runs[i]), token).ConfigureAwait(false)).ConfigureAwait(false);

        // A record deleted (retention) between the listing and the read is simply left out.
        return runs.OfType<RunRecord>().ToList();
    }

    /// <inheritdoc />
    /// <remarks>
    /// An id that could never have been stored (see <see cref="IsValidRunId"/>) is not found. A record written before
    /// the ledger existed is found through its old <c>run-index/</c> blob until <see cref="ReindexAsync"/> has run.
    /// </remarks>
    /// <exception cref="InvalidDataException">The stored record is not valid run JSON; the message names the blob.</exception>
    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (!IsValidRunId(runId))
        {
            return null;
        }

        if (await Ledger.FindAsync(runId, cancellationToken).ConfigureAwait(false) is { } summary)
        {
            return await ReadAsync(BodyOf(summary), cancellationToken).ConfigureAwait(false);
        }

        await foreach (var page in _blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{StorageLayout.RunIndexPrefix}{runId}/", cancellationToken).AsPages(pageSizeHint: 1).ConfigureAwait(false))
        {
            return page.Values.Count > 0 && LegacyRunBlobFromIndex(page.Values[0].Name) is { } legacy
                ? await ReadAsync(legacy, cancellationToken).ConfigureAwait(false)
                : null;
        }

        return null;
    }

    /// <summary>
    /// Puts every record under <c>runs/</c> into the ledger (replacing what is there) and deletes the
    /// <c>run-index/</c> blobs of the blob-only layout: the migration to the ledger, and the repair after a writer
    /// died between a record and its ledger entry. Safe to run again and while the reconciler runs.
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass (what is done stays done).</param>
    /// <returns>How many records were indexed and how many old index blobs were deleted.</returns>
    /// <exception cref="InvalidDataException">A record is not valid run JSON; the message names the blob.</exception>
    public async Task<(int Indexed, int OldIndexDeleted)> ReindexAsync(CancellationToken cancellationToken = default)
    {
        var indexed = 0;
        await foreach (var page in _blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, StorageLayout.RunsPrefix, cancellationToken).AsPages(pageSizeHint: 100).ConfigureAwait(false))
        {
            // One page at a time, a few records at a time: a record can be megabytes, so memory stays bounded; only the
            // summaries are kept, and written in transactions.
            var summaries = new System.Collections.Concurrent.ConcurrentBag<RunSummary>();
            await Parallel.ForEachAsync(
                page.Values.Select(b => b.Name).Where(IsRunBlob),
                new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (name, token) =>
                {
                    if (await ReadAsync(name, token).ConfigureAwait(false) is { } run)
                    {
                        summaries.Add(RunSummary.Of(run, name));
                    }
                }).ConfigureAwait(false);
            await Ledger.SaveManyAsync(summaries, cancellationToken).ConfigureAwait(false);
            indexed += summaries.Count;
        }

        var deleted = 0;
        await foreach (var item in _blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, StorageLayout.RunIndexPrefix, cancellationToken).ConfigureAwait(false))
        {
            if ((await _blobs.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken).ConfigureAwait(false)).Value)
            {
                deleted++;
            }
        }

        return (indexed, deleted);
    }

    /// <summary>Deletes a run: its record first, then its ledger entities (see the remarks on the order).</summary>
    /// <param name="run">The run, as the ledger lists it.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when the run is gone.</returns>
    public async Task DeleteAsync(RunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _blobs.DeleteBlobIfExistsAsync(BodyOf(run), cancellationToken: cancellationToken).ConfigureAwait(false);
        await _blobs.DeleteBlobIfExistsAsync(StorageLayout.PlanBlob(run.EnvironmentKey, run.RunId), cancellationToken: cancellationToken).ConfigureAwait(false);
        await Ledger.DeleteAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="runId"/> can name a run blob: 1-100 letters, digits, '.', '_' or '-', not '.' or '..'.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>True when it can be stored.</returns>
    public static bool IsValidRunId(string runId) => runId is not null && StorageLayout.IsPlainSegment(runId);

    private static string BodyOf(RunSummary run) => run.Body is { } body && body.StartsWith(StorageLayout.RunsPrefix, StringComparison.Ordinal)
        ? body
        : StorageLayout.RunBlob(run.EnvironmentKey, run.RunId);

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

    private static bool IsRunBlob(string name)
    {
        // runs/<repository>/<environment>/<run id>.json; anything else under the prefix is not ours and is skipped.
        var parts = name.Split('/');
        return parts.Length == 4 && StorageLayout.IsPlainSegment(parts[1]) && StorageLayout.IsPlainSegment(parts[2])
            && parts[3].EndsWith(".json", StringComparison.Ordinal) && IsValidRunId(parts[3][..^5]);
    }

    private static string? LegacyRunBlobFromIndex(string indexName)
    {
        // run-index/<run id>/<repository>/<environment>, the blob-only layout's index.
        var parts = indexName.Split('/');
        return parts.Length == 4 && IsValidRunId(parts[1]) && StorageLayout.IsPlainSegment(parts[2]) && StorageLayout.IsPlainSegment(parts[3])
            ? StorageLayout.RunBlob($"{parts[2]}/{parts[3]}", parts[1])
            : null;
    }
}
