using Azure.Data.Tables;
using Azure.Storage.Blobs;
using GitOps.Storage.Queues;

namespace GitOps.Storage.Reconcile;

/// <summary>Names and settings of the reconciler's storage (<see cref="GitOpsStorage"/>).</summary>
public sealed record GitOpsStorageOptions
{
    /// <summary>The blob container holding environments, runs, the run index and deliveries. Default <c>gitops</c>.</summary>
    public string ContainerName { get; init; } = "gitops";

    /// <summary>The reconcile queue; its poison queue is this name plus <c>-poison</c>. Default <c>reconcile</c>.</summary>
    public string QueueName { get; init; } = "reconcile";

    /// <summary>
    /// The queue of drift jobs (its poison queue is this name plus <c>-poison</c>). When null it follows
    /// <see cref="QueueName"/> plus <c>-drift</c> (<c>reconcile-drift</c> for the default), so reconcilers kept apart by
    /// queue name also keep their drift jobs apart.
    /// </summary>
    public string? DriftQueueName { get; init; }

    /// <summary>The drift queue name in use (<see cref="DriftQueueName"/>, or the one derived from the reconcile queue).</summary>
    public string EffectiveDriftQueueName => DriftQueueName ?? QueueName + "-drift";

    /// <summary>
    /// The run ledger's table. When null it follows <see cref="ContainerName"/>: <c>gitopsruns</c> for the default
    /// container, otherwise the container's letters and digits plus <c>runs</c>, so that reconcilers kept apart by
    /// container on one account also keep their run histories apart.
    /// </summary>
    public string? TableName { get; init; }

    /// <summary>The table name in use (<see cref="TableName"/>, or the one derived from the container).</summary>
    public string EffectiveTableName => TableName ?? TableNameFor(ContainerName, "runs");

    /// <summary>The resource index table in use.</summary>
    public string EffectiveIndexTableName => IndexTableName ?? TableNameFor(ContainerName, "index");

    /// <summary>The change inbox table in use.</summary>
    public string EffectiveInboxTableName => InboxTableName ?? TableNameFor(ContainerName, "events");

    /// <summary>
    /// The queue the Event Grid subscription delivers ARM events to (its poison queue is this name plus <c>-poison</c>).
    /// Default <c>arm-events</c>. Read as stored (encoding None): the handler accepts the JSON or Base64 of it.
    /// </summary>
    public string EventsQueueName { get; init; } = "arm-events";

    /// <summary>The resource index's table (resource id → environments); null: follows <see cref="ContainerName"/> (<c>gitopsindex</c> for the default).</summary>
    public string? IndexTableName { get; init; }

    /// <summary>The change inbox's table (events waiting per environment); null: follows <see cref="ContainerName"/> (<c>gitopsevents</c> for the default).</summary>
    public string? InboxTableName { get; init; }

    /// <summary>The environment lease duration, 15 to 60 whole seconds. Default 60 s.</summary>
    public TimeSpan LeaseDuration { get; init; } = BlobEnvironmentLock.DefaultLeaseDuration;

    /// <summary>How often a held environment lease is renewed; a third of <see cref="LeaseDuration"/> when null.</summary>
    public TimeSpan? LeaseRenewInterval { get; init; }

    /// <summary>Retry, transport and diagnostics options of the blob client; <see cref="StorageClients.NewBlobClientOptions"/> when null.</summary>
    public BlobClientOptions? BlobClientOptions { get; init; }

    /// <summary>Retry, transport and diagnostics options of the table client; the defaults when null.</summary>
    public TableClientOptions? TableClientOptions { get; init; }

    /// <summary>Options of the queue client; the defaults (Base64 messages, <c>-poison</c> suffix) when null.</summary>
    public StorageQueueClientOptions? QueueClientOptions { get; init; }

    /// <summary>The clock for lease renewals and delivery records.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The defaults.</summary>
    public static GitOpsStorageOptions Default { get; } = new();

    internal BlobContainerClient CreateBlobClient(StorageConnection connection) => StorageClients.CreateContainerClient(connection, ContainerName, BlobClientOptions);

    internal TableClient CreateTableClient(StorageConnection connection, string? name = null) => StorageClients.CreateTableClient(connection, name ?? EffectiveTableName, TableClientOptions);

    // gitopsruns, gitopsindex and gitopsevents for the default container; otherwise the container's letters and digits
    // plus the suffix, so reconcilers kept apart by container keep their tables apart too.
    private static string TableNameFor(string container, string suffix)
    {
        var name = new string(container.Where(char.IsAsciiLetterOrDigit).ToArray()) + suffix;
        name = char.IsAsciiLetter(name[0]) ? name : "t" + name;
        return name.Length <= 63 ? name : name[..63];
    }

    internal StorageQueueClient CreateQueueClient(StorageConnection connection) => new(connection, QueueName, QueueClientOptions);

    internal StorageQueueClient CreateDriftQueueClient(StorageConnection connection) => new(connection, EffectiveDriftQueueName, QueueClientOptions);

    internal StorageQueueClient CreateEventsQueueClient(StorageConnection connection) =>
        new(connection, EventsQueueName, (QueueClientOptions ?? new StorageQueueClientOptions()).WithoutEncoding());
}
