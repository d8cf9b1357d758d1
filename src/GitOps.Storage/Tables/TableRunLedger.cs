using System.Globalization;
using Azure;
using Azure.Data.Tables;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;

namespace GitOps.Storage.Tables;

/// <summary>
/// The run ledger on Azure Tables (table <c>gitopsruns</c> by default): one entity per run in the partition of its
/// environment (<c>repository~environment</c>, since table keys may not hold '/') and one in the fixed partition
/// <see cref="AllPartition"/>, both keyed by run id. Run ids start with inverted ticks, so every partition reads
/// newest first; filters on outcome, trigger and start time are answered by the service.
/// </summary>
/// <remarks>
/// The entity is the list form only; the full record (plan and results) stays in its blob, named by
/// <see cref="RunSummary.Body"/>. The table is created on first use.
/// </remarks>
public sealed class TableRunLedger : IRunLedger
{
    /// <summary>The default table name.</summary>
    public const string DefaultTableName = "gitopsruns";

    /// <summary>The partition that holds every run once, for "newest across environments" and lookups by id.</summary>
    public const string AllPartition = "~all";

    private readonly TableClient _table;
    private readonly CreateOnce _create;

    /// <summary>Creates the ledger over one table (no call is made).</summary>
    /// <param name="table">The table client.</param>
    public TableRunLedger(TableClient table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _create = new CreateOnce(ct => table.CreateIfNotExistsAsync(ct));
    }

    /// <summary>The table client.</summary>
    public TableClient Table => _table;

    /// <inheritdoc />
    public async Task<RunListPage> ListAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Top, RunQuery.MaxTop);
        if (query.After is { } after && !BlobRunStore.IsValidRunId(after))
        {
            throw new ArgumentException("The continuation token is not one a run listing returned.", nameof(query));
        }

        var partition = query.EnvironmentKey is { } key ? PartitionOf(StorageLayout.ValidateEnvironmentKey(key, nameof(query))) : AllPartition;
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        // One more than asked for tells whether there is a next page without a second request.
        var runs = new List<RunSummary>(query.Top + 1);
        await foreach (var entity in _table.QueryAsync<TableEntity>(FilterOf(partition, query), Math.Min(query.Top + 1, RunQuery.MaxTop), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (RunLedgerEntity.ToSummary(entity) is { } run)
            {
                runs.Add(run);
                if (runs.Count > query.Top)
                {
                    break;
                }
            }
        }

        var next = runs.Count > query.Top ? runs[query.Top - 1].RunId : null;
        return new RunListPage(runs.Take(query.Top).ToList(), next);
    }

    /// <summary>
    /// Writes (replaces) a run's two entities: the one in <see cref="AllPartition"/> first (it answers lookups by id),
    /// then its environment's. A writer that dies between them leaves the run findable by id and listed across
    /// environments but not yet in its environment's list; the next save of the run or <c>gitops runs reindex</c>
    /// completes it. (The other order would need a table scan to find such a run by id.)
    /// </summary>
    /// <param name="run">The summary, with <see cref="RunSummary.Body"/> naming the full record.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both are written.</returns>
    public async Task SaveAsync(RunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(RunLedgerEntity.From(run, AllPartition), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await _table.UpsertEntityAsync(RunLedgerEntity.From(run, PartitionOf(run.EnvironmentKey)), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes many runs' entities in transactions of up to 100 per partition (the service's limit; Azurite answers
    /// more with a malformed response), all <see cref="AllPartition"/> entities before any environment's, for the same
    /// reason as <see cref="SaveAsync"/>. Used by <c>reindex</c> and for seeding benchmarks.
    /// </summary>
    /// <param name="runs">The summaries.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when all are written.</returns>
    public async Task SaveManyAsync(IReadOnlyCollection<RunSummary> runs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var all = runs.Select(r => RunLedgerEntity.From(r, AllPartition));
        var perEnvironment = runs.Select(r => RunLedgerEntity.From(r, PartitionOf(r.EnvironmentKey)));
        await TableBatches.UpsertAsync(_table, all.Concat(perEnvironment), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A run's summary by id (one point read in <see cref="AllPartition"/>), or null.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The summary, or null.</returns>
    public async Task<RunSummary?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!BlobRunStore.IsValidRunId(runId))
        {
            return null;
        }

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(AllPartition, runId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? RunLedgerEntity.ToSummary(found.Value!) : null;
    }

    /// <summary>Deletes a run's two entities (the cross-environment one last, so a half-done delete is still found, and finished, by the next pass).</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both are gone.</returns>
    public async Task DeleteAsync(RunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await DeleteIfExistsAsync(PartitionOf(run.EnvironmentKey), run.RunId, cancellationToken).ConfigureAwait(false);
        await DeleteIfExistsAsync(AllPartition, run.RunId, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already (a pass or a save that stopped half way): the other entity must still go.
        }
    }

    /// <summary>Creates the table if it does not exist (once per instance).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it exists.</returns>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => _create.EnsureAsync(cancellationToken);

    /// <summary>The partition of an environment: its key with '/' (forbidden in table keys) as '~' (never in a name).</summary>
    /// <param name="environmentKey">A checked <c>repository/environment</c> key.</param>
    /// <returns>The partition key.</returns>
    public static string PartitionOf(string environmentKey) => environmentKey.Replace('/', '~');

    /// <summary>The first row key of runs started before <paramref name="time"/> (row keys are inverted ticks, then '-').</summary>
    internal static string RowKeyBefore(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);

    private static string FilterOf(string partition, RunQuery query)
    {
        var parts = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partition}") };
        if (query.After is { } after)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey gt {after}"));
        }

        // Started at or after 'since' = row key below the first key of runs started before it; before 'until' = at or above its.
        if (query.Since is { } since)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey lt {RowKeyBefore(since)}"));
        }

        if (query.Until is { } until)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey ge {RowKeyBefore(until)}"));
        }

        if (query.EnvironmentKey is null && query.EnvironmentName is { } name)
        {
            parts.Add(TableClient.CreateQueryFilter($"Environment eq {name}"));
        }

        if (query.Outcome is { } outcome)
        {
            parts.Add(TableClient.CreateQueryFilter($"Outcome eq {outcome.ToString()}"));
        }

        if (query.Trigger is { } trigger)
        {
            parts.Add(TableClient.CreateQueryFilter($"Trigger eq {trigger.ToString()}"));
        }

        return string.Join(" and ", parts);
    }
}
