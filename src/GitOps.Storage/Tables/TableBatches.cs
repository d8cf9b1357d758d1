using Azure.Data.Tables;

namespace GitOps.Storage.Tables;

/// <summary>Writes many entities in as few calls as the Table service allows.</summary>
internal static class TableBatches
{
    /// <summary>The most operations one entity-group transaction may hold.</summary>
    public const int MaxBatch = 100;

    /// <summary>
    /// Upserts (replace) <paramref name="entities"/> in transactions of one partition and at most
    /// <see cref="MaxBatch"/> entities each; a row given twice is written once (the first), since a transaction may
    /// not name a row twice.
    /// </summary>
    public static async Task UpsertAsync(TableClient table, IEnumerable<TableEntity> entities, CancellationToken cancellationToken)
    {
        foreach (var batch in entities.GroupBy(e => e.PartitionKey).SelectMany(g => g.DistinctBy(e => e.RowKey).Chunk(MaxBatch)))
        {
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken).ConfigureAwait(false);
        }
    }
}
