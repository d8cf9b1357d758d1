using Azure;
using Azure.Data.Tables;
using GitOps.Core.Events;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;

namespace GitOps.Storage.Tables;

/// <summary>
/// The change inbox (<see cref="IChangeInbox"/>) on Azure Tables (table <c>gitopsevents</c> by default): one partition
/// per environment (<c>repository~environment</c>); one row per changed resource keyed by the SHA-256 of its id (so a
/// storm of events for one resource is one row, and an inbox never holds more rows than the environment manages
/// resources), and the row <see cref="ScheduledRow"/> that says a job for the inbox is scheduled.
/// </summary>
public sealed class TableChangeInbox : IChangeInbox
{
    /// <summary>The default table name.</summary>
    public const string DefaultTableName = "gitopsevents";

    /// <summary>The row of the "a job is scheduled" mark (sorts after every hash row).</summary>
    public const string ScheduledRow = "~scheduled";

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly CreateOnce _create;

    /// <summary>Creates the inbox over one table (no call is made).</summary>
    /// <param name="table">The table client.</param>
    /// <param name="timeProvider">Clock for the received times.</param>
    public TableChangeInbox(TableClient table, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _time = timeProvider ?? TimeProvider.System;
        _create = new CreateOnce(ct => table.CreateIfNotExistsAsync(ct));
    }

    /// <summary>The table client.</summary>
    public TableClient Table => _table;

    /// <summary>Creates the table if it does not exist.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it exists.</returns>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => _create.EnsureAsync(cancellationToken);

    /// <inheritdoc />
    public async Task AddAsync(string repository, string environment, ChangeAttribution change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var partition = Partition(repository, environment);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(partition, TableResourceIndex.Hash(change.ResourceId))
        {
            ["ResourceId"] = change.ResourceId,
            ["Kind"] = change.Kind?.ToString(),
            ["Operation"] = change.Operation,
            ["CorrelationId"] = change.CorrelationId,
            ["ChangedAt"] = change.ChangedAt?.ToUniversalTime(),
            ["Source"] = change.Source,
            ["ActorName"] = change.Actor.Name,
            ["ActorAppId"] = change.Actor.AppId,
            ["ActorObjectId"] = change.Actor.ObjectId,
            ["ActorPrincipalType"] = change.Actor.PrincipalType,
            ["ActorClientType"] = change.Actor.ClientType,
            ["ReceivedAt"] = _time.GetUtcNow(),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TryMarkScheduledAsync(string repository, string environment, string jobId, DateTimeOffset now, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        var partition = Partition(repository, environment);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var mark = new TableEntity(partition, ScheduledRow) { ["JobId"] = jobId, ["MarkedAt"] = now };
        try
        {
            await _table.AddEntityAsync(mark, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException error) when (error.Status == 409)
        {
            // Scheduled already, unless that mark is so old that its job must be lost (expired or deleted by hand).
        }

        try
        {
            var existing = (await _table.GetEntityAsync<TableEntity>(partition, ScheduledRow, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (existing.GetDateTimeOffset("MarkedAt") is { } marked && now - marked < expiry)
            {
                return false;
            }

            await _table.UpdateEntityAsync(mark, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException error) when (error.Status is 404 or 412)
        {
            // Cleared or taken over meanwhile: whoever did that scheduled (or will schedule) the job.
            return false;
        }
    }

    /// <inheritdoc />
    public async Task ClearScheduledAsync(string repository, string environment, CancellationToken cancellationToken = default)
    {
        var partition = Partition(repository, environment);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _table.DeleteEntityAsync(partition, ScheduledRow, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            // Not marked.
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InboxItem>> ReadAsync(string repository, string environment, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var partition = Partition(repository, environment);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey lt {ScheduledRow}");
        var items = new List<(InboxItem Item, DateTimeOffset Received)>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetString("ResourceId") is not { } id)
            {
                continue;
            }

            var actor = new ChangeActor(
                entity.GetString("ActorName"), entity.GetString("ActorAppId"), entity.GetString("ActorObjectId"), entity.GetString("ActorPrincipalType"), entity.GetString("ActorClientType"));
            var change = new ChangeAttribution(
                id,
                actor,
                Enum.TryParse<ChangeKind>(entity.GetString("Kind"), out var kind) ? kind : null,
                entity.GetString("Operation"),
                entity.GetString("CorrelationId"),
                entity.GetDateTimeOffset("ChangedAt"),
                entity.GetString("Source") ?? ChangeAttribution.EventSource);
            items.Add((new InboxItem(change, entity.ETag.ToString()), entity.GetDateTimeOffset("ReceivedAt") ?? default));
            if (items.Count >= max)
            {
                break;
            }
        }

        return items.OrderBy(i => i.Received).Select(i => i.Item).ToList();
    }

    /// <inheritdoc />
    public async Task AcknowledgeAsync(string repository, string environment, IReadOnlyCollection<InboxItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var partition = Partition(repository, environment);
        foreach (var chunk in items.DistinctBy(i => TableResourceIndex.Hash(i.Change.ResourceId)).Chunk(TableBatches.MaxBatch))
        {
            try
            {
                // Each delete carries the ETag read: a change replaced by a newer event stays for the next run.
                await _table.SubmitTransactionAsync(
                    chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, TableResourceIndex.Hash(i.Change.ResourceId)), new ETag(i.ETag))),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is TableTransactionFailedException or RequestFailedException)
            {
                // One row changed (or vanished): the transaction failed whole, so delete them one by one.
                foreach (var item in chunk)
                {
                    try
                    {
                        await _table.DeleteEntityAsync(partition, TableResourceIndex.Hash(item.Change.ResourceId), new ETag(item.ETag), cancellationToken).ConfigureAwait(false);
                    }
                    catch (RequestFailedException single) when (single.Status is 404 or 412)
                    {
                        // Replaced by a newer event (kept for the next run), or already gone.
                    }
                }
            }
        }
    }

    private static string Partition(string repository, string environment) =>
        TableRunLedger.PartitionOf(StorageLayout.EnvironmentKeyOf(repository, environment, nameof(repository)));
}
