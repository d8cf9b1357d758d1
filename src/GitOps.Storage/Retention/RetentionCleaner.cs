using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;

namespace GitOps.Storage.Retention;

/// <summary>
/// The scheduled cleanup: deletes runs older than <see cref="RetentionOptions.MaxRunAge"/> and beyond
/// <see cref="RetentionOptions.MaxRunsPerEnvironment"/> per environment (record, then ledger entities), webhook
/// delivery records older than <see cref="RetentionOptions.DeliveryMaxAge"/>, and pull-request preview blobs not
/// rewritten for <see cref="RetentionOptions.PreviewMaxAge"/>. Host-agnostic: <c>gitops serve</c>'s
/// timer and a Functions timer both call <see cref="RunOnceAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// One pass deletes at most <see cref="RetentionOptions.MaxDeletesPerPass"/> items, so a first pass over a long
/// history neither runs past a timer's budget nor floods the account; what is left is found again by the next pass,
/// because everything is found through the ledger and the listing, not remembered. Passes on several instances at
/// once are harmless: a delete of what is already gone is not an error.
/// </para>
/// <para>
/// The per-environment count covers the environments that have state (every environment a run reconciled); runs of
/// an environment that never got state still age out.
/// </para>
/// </remarks>
public sealed class RetentionCleaner
{
    /// <summary>Where each pass is recorded: <c>retention/&lt;inverted ticks&gt;.json</c> (newest first).</summary>
    public const string PassPrefix = "retention/";

    private readonly BlobRunStore _runs;
    private readonly IEnvironmentStateStore _states;
    private readonly BlobContainerClient _blobs;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the cleaner over the reconciler's storage.</summary>
    /// <param name="storage">The stores.</param>
    /// <param name="options">The limits; <see cref="RetentionOptions.Default"/> when null.</param>
    /// <param name="timeProvider">The clock ages are measured against.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public RetentionCleaner(GitOpsStorage storage, RetentionOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _runs = storage.Runs;
        _states = storage.States;
        _blobs = storage.Blobs;
        _options = (options ?? RetentionOptions.Default).Validate();
        _time = timeProvider ?? storage.Options.TimeProvider;
    }

    /// <summary>The limits in use.</summary>
    public RetentionOptions Options => _options;

    /// <summary>Runs one bounded pass and records it.</summary>
    /// <param name="cancellationToken">Cancels the pass; what was deleted stays deleted.</param>
    /// <returns>What the pass deleted and whether it finished.</returns>
    public async Task<RetentionPass> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var budget = _options.MaxDeletesPerPass;
        var deleted = new List<string>();

        // Oldest rule first: runs past the age limit, across environments, from the ledger's all-runs partition.
        var byAge = 0;
        var expired = await _runs.Ledger.ListAsync(new RunQuery { Until = now - _options.MaxRunAge, Top = Math.Min(budget, RunQuery.MaxTop) }, cancellationToken).ConfigureAwait(false);
        foreach (var run in expired.Runs)
        {
            await _runs.DeleteAsync(run, cancellationToken).ConfigureAwait(false);
            deleted.Add(run.RunId);
            byAge++;
        }

        var complete = expired.Next is null;
        budget -= byAge;

        var byCount = 0;
        foreach (var key in await _states.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (budget == 0)
            {
                complete = false;
                break;
            }

            var after = await SkipNewestAsync(key, cancellationToken).ConfigureAwait(false);
            if (after is null)
            {
                continue;
            }

            var surplus = await _runs.Ledger.ListAsync(new RunQuery { EnvironmentKey = key, After = after, Top = Math.Min(budget, RunQuery.MaxTop) }, cancellationToken).ConfigureAwait(false);
            foreach (var run in surplus.Runs)
            {
                await _runs.DeleteAsync(run, cancellationToken).ConfigureAwait(false);
                deleted.Add(run.RunId);
                byCount++;
                budget--;
            }

            complete &= surplus.Next is null;
        }

        var (deliveries, deliveriesDone) = await DeleteOldBlobsAsync(StorageLayout.DeliveriesPrefix, now - _options.DeliveryMaxAge, budget, DeliveryRecordedAt, cancellationToken).ConfigureAwait(false);
        budget -= deliveries;
        var (previews, previewsDone) = await DeleteOldBlobsAsync(StorageLayout.PreviewsPrefix, now - _options.PreviewMaxAge, budget, LastWritten, cancellationToken).ConfigureAwait(false);
        complete &= deliveriesDone && previewsDone;

        var pass = new RetentionPass(now, byAge, byCount, deliveries, previews, deleted, complete);
        await RecordAsync(pass, cancellationToken).ConfigureAwait(false);
        return pass;
    }

    /// <summary>The token after an environment's newest <see cref="RetentionOptions.MaxRunsPerEnvironment"/> runs, or null when it has no more.</summary>
    private async Task<string?> SkipNewestAsync(string environmentKey, CancellationToken cancellationToken)
    {
        string? after = null;
        for (var keep = _options.MaxRunsPerEnvironment; keep > 0;)
        {
            var page = await _runs.Ledger.ListAsync(new RunQuery { EnvironmentKey = environmentKey, After = after, Top = Math.Min(keep, RunQuery.MaxTop) }, cancellationToken).ConfigureAwait(false);
            keep -= page.Runs.Count;
            after = page.Next;
            if (after is null)
            {
                return null;
            }
        }

        return after;
    }

    /// <summary>Deletes up to <paramref name="budget"/> blobs under <paramref name="prefix"/> dated before <paramref name="cutoff"/>.</summary>
    /// <returns>How many were deleted, and false when blobs past the cutoff remain beyond the budget.</returns>
    private async Task<(int Deleted, bool Done)> DeleteOldBlobsAsync(
        string prefix, DateTimeOffset cutoff, int budget, Func<BlobItem, DateTimeOffset> datedAt, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var item in _blobs.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (datedAt(item) >= cutoff)
            {
                continue;
            }

            if (deleted == budget)
            {
                return (deleted, false);
            }

            await _blobs.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            deleted++;
        }

        return (deleted, true);
    }

    private static DateTimeOffset DeliveryRecordedAt(BlobItem item) =>
        item.Metadata is { } metadata
        && metadata.TryGetValue(BlobDeliveryLog.RecordedAtMetadata, out var text)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
        && ticks is > 0 and < 3155378975999999999
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : LastWritten(item); // entries from before the metadata: the service's time

    /// <summary>
    /// The service's time of the last write. Previews are rewritten on every push to their pull request, so a blob
    /// that has not changed for the age limit belongs to a pull request that was merged, closed or abandoned.
    /// </summary>
    private static DateTimeOffset LastWritten(BlobItem item) => item.Properties.LastModified ?? DateTimeOffset.MaxValue;

    private async Task RecordAsync(RetentionPass pass, CancellationToken cancellationToken)
    {
        var name = $"{PassPrefix}{RunIds.New(pass.StartedAt)}.json";
        await _blobs.UploadBlobAsync(name, BinaryData.FromString(JsonSerializer.Serialize(pass, RunJson.Options)), cancellationToken).ConfigureAwait(false);
    }
}
