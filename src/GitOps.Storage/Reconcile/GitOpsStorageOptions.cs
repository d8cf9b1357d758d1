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

    /// <summary>The environment lease duration, 15 to 60 whole seconds. Default 60 s.</summary>
    public TimeSpan LeaseDuration { get; init; } = BlobEnvironmentLock.DefaultLeaseDuration;

    /// <summary>How often a held environment lease is renewed; a third of <see cref="LeaseDuration"/> when null.</summary>
    public TimeSpan? LeaseRenewInterval { get; init; }

    /// <summary>Retry, transport and diagnostics options of the blob client; <see cref="StorageClients.NewBlobClientOptions"/> when null.</summary>
    public BlobClientOptions? BlobClientOptions { get; init; }

    /// <summary>Options of the queue client; the defaults (Base64 messages, <c>-poison</c> suffix) when null.</summary>
    public StorageQueueClientOptions? QueueClientOptions { get; init; }

    /// <summary>The clock for lease renewals and delivery records.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The defaults.</summary>
    public static GitOpsStorageOptions Default { get; } = new();

    internal BlobContainerClient CreateBlobClient(StorageConnection connection) => StorageClients.CreateContainerClient(connection, ContainerName, BlobClientOptions);

    internal StorageQueueClient CreateQueueClient(StorageConnection connection) => new(connection, QueueName, QueueClientOptions);
}
