using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using GitOps.Core.Ports;
using GitOps.Storage.Reconcile;

namespace GitOps.Storage.Tables;

/// <summary>
/// The resource index (<see cref="IResourceIndex"/>) on Azure Tables (table <c>gitopsindex</c> by default). Table keys
/// may not hold '/', so an entry is keyed by the SHA-256 of the lower-cased resource id: partition = its first two hex
/// digits (256 partitions, so one run's writes batch into at most 256 transactions), row = the whole hash, '~', the
/// repository, '~', the environment. A lookup is one range query in one partition; the id is kept as a property and
/// compared, so a hash collision can never route an event to the wrong resource.
/// </summary>
public sealed class TableResourceIndex : IResourceIndex
{
    /// <summary>The default table name.</summary>
    public const string DefaultTableName = "gitopsindex";

    private const int MaxParallelDeletes = 8;
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly CreateOnce _create;

    /// <summary>Creates the index over one table (no call is made).</summary>
    /// <param name="table">The table client.</param>
    /// <param name="timeProvider">Clock for <see cref="ResourceIndexEntry.UpdatedAt"/>.</param>
    public TableResourceIndex(TableClient table, TimeProvider? timeProvider = null)
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
    public async Task AddAsync(string repository, string environment, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken = default)
    {
        StorageLayout.EnvironmentKeyOf(repository, environment, nameof(repository));
        ArgumentNullException.ThrowIfNull(resourceIds);
        if (resourceIds.Count == 0)
        {
            return;
        }

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var entities = resourceIds
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(id =>
            {
                var (partition, row) = Keys(id, repository, environment);
                return new TableEntity(partition, row)
                {
                    ["ResourceId"] = id,
                    ["Repository"] = repository,
                    ["Environment"] = environment,
                    ["UpdatedAt"] = now,
                };
            });
        await TableBatches.UpsertAsync(_table, entities, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string repository, string environment, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken = default)
    {
        StorageLayout.EnvironmentKeyOf(repository, environment, nameof(repository));
        ArgumentNullException.ThrowIfNull(resourceIds);
        if (resourceIds.Count == 0)
        {
            return;
        }

        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        // One by one: a transaction fails whole when one entity is missing, and removals are few (ids leaving git).
        await Parallel.ForEachAsync(
            resourceIds.Distinct(StringComparer.OrdinalIgnoreCase),
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelDeletes, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                var (partition, row) = Keys(id, repository, environment);
                try
                {
                    await _table.DeleteEntityAsync(partition, row, ETag.All, ct).ConfigureAwait(false);
                }
                catch (RequestFailedException error) when (error.Status == 404)
                {
                    // Already gone.
                }
            }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ResourceIndexEntry>> FindAsync(string resourceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var hash = Hash(resourceId);

        // Repository names start with a letter or digit, so every row of this id sorts between "hash~" and "hash~~".
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {hash[..2]} and RowKey ge {hash + "~"} and RowKey lt {hash + "~~"}");
        var found = new List<ResourceIndexEntry>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetString("ResourceId") is { } id && string.Equals(id, resourceId, StringComparison.OrdinalIgnoreCase)
                && entity.GetString("Repository") is { } repository && entity.GetString("Environment") is { } environment)
            {
                found.Add(new ResourceIndexEntry(id, repository, environment, entity.GetDateTimeOffset("UpdatedAt") ?? default, entity.ETag.ToString()));
            }
        }

        return found;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveStaleAsync(ResourceIndexEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (partition, row) = Keys(entry.ResourceId, entry.Repository, entry.Environment);
        try
        {
            // The SDK answers a missing entity with its 404 response instead of an exception.
            var response = await _table.DeleteEntityAsync(partition, row, new ETag(entry.ETag), cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (RequestFailedException error) when (error.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The key hash of a resource id: lower-case hex SHA-256 of the lower-cased id.</summary>
    /// <param name="resourceId">The id.</param>
    /// <returns>64 hex digits.</returns>
    public static string Hash(string resourceId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resourceId.ToLowerInvariant())));

    private static (string Partition, string Row) Keys(string resourceId, string repository, string environment)
    {
        var hash = Hash(resourceId);
        return (hash[..2], $"{hash}~{repository}~{environment}");
    }
}
