using Azure.Storage.Blobs;
using GitOps.Core.Ports;
using GitOps.Storage.Tables;
using GitOps.Storage.Queues;

namespace GitOps.Storage.Reconcile;

/// <summary>
/// The reconciler's storage in one place: one blob container (default <c>gitops</c>), the reconcile queue (default
/// <c>reconcile</c>, with <c>reconcile-poison</c>) and the drift queue beside it (<c>reconcile-drift</c>, with
/// <c>reconcile-drift-poison</c>), and the Core ports built on them. Layout:
/// <list type="bullet">
/// <item><c>environments/&lt;repository&gt;/&lt;environment&gt;/state.json</c> — state, ETag-guarded (<see cref="States"/>)</item>
/// <item><c>environments/&lt;repository&gt;/&lt;environment&gt;/lock</c> — the lease (<see cref="Locks"/>)</item>
/// <item><c>environments/&lt;repository&gt;/&lt;environment&gt;/checkpoint.json.gz</c> — the checkpoint of a run between segments (<see cref="Checkpoints"/>)</item>
/// <item><c>plans/&lt;repository&gt;/&lt;environment&gt;/&lt;run id&gt;.json</c> — full plans of runs that changed something (<see cref="Runs"/>)</item>
/// <item><c>runs/&lt;repository&gt;/&lt;environment&gt;/&lt;run id&gt;.json</c> — full run records (<see cref="Runs"/>), indexed in the table <c>gitopsruns</c> (<see cref="Ledger"/>)</item>
/// <item><c>deliveries/&lt;provider&gt;/&lt;delivery id&gt;</c> — webhook replay protection (<see cref="Deliveries"/>)</item>
/// </list>
/// </summary>
public sealed class GitOpsStorage
{
    /// <summary>
    /// Builds the clients and stores without calling the service (use when the container and queues are provisioned
    /// with infrastructure and the identity may not create them; otherwise call <see cref="EnsureCreatedAsync"/>).
    /// </summary>
    /// <param name="connection">The storage account and credential (blob and queue endpoints).</param>
    /// <param name="options">Names and settings; <see cref="GitOpsStorageOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">A name is invalid, an endpoint is missing, or the queue options do not use Base64.</exception>
    public GitOpsStorage(StorageConnection connection, GitOpsStorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Options = options ?? GitOpsStorageOptions.Default;
        Blobs = Options.CreateBlobClient(connection);
        Queue = Options.CreateQueueClient(connection);
        DriftQueue = Options.CreateDriftQueueClient(connection);
        Ledger = new TableRunLedger(Options.CreateTableClient(connection));
        Runs = new BlobRunStore(Blobs, Ledger);
        States = new BlobEnvironmentStateStore(Blobs);
        Checkpoints = new BlobRunCheckpointStore(Blobs);
        Locks = new BlobEnvironmentLock(Blobs, Options.LeaseDuration, Options.LeaseRenewInterval, Options.TimeProvider);
        Jobs = new QueueJobQueue(Queue, DriftQueue);
        Deliveries = new BlobDeliveryLog(Blobs, Options.TimeProvider);
        Previews = new BlobPreviewStore(Blobs);
        Index = new TableResourceIndex(Options.CreateTableClient(connection, Options.EffectiveIndexTableName), Options.TimeProvider);
        Inbox = new TableChangeInbox(Options.CreateTableClient(connection, Options.EffectiveInboxTableName), Options.TimeProvider);
        EventsQueue = Options.CreateEventsQueueClient(connection);
    }

    /// <summary>The names and settings in use.</summary>
    public GitOpsStorageOptions Options { get; }

    /// <summary>The container client.</summary>
    public BlobContainerClient Blobs { get; }

    /// <summary>The reconcile queue client (the poison queue is <see cref="StorageQueueClient.GetPoisonQueueClient"/>).</summary>
    public StorageQueueClient Queue { get; }

    /// <summary>
    /// The drift queue client: drift jobs wait here, not on <see cref="Queue"/>, so that a host's workers busy with drift
    /// checks never hold the slot a push is waiting for (the poison queue is <see cref="StorageQueueClient.GetPoisonQueueClient"/>).
    /// </summary>
    public StorageQueueClient DriftQueue { get; }

    /// <summary>The run ledger (<see cref="IRunLedger"/>): what every run listing reads.</summary>
    public TableRunLedger Ledger { get; }

    /// <summary>Run records (<see cref="IRunStore"/>).</summary>
    public BlobRunStore Runs { get; }

    /// <summary>Environment state (<see cref="IEnvironmentStateStore"/>).</summary>
    public BlobEnvironmentStateStore States { get; }

    /// <summary>Checkpoints of runs working within their time budget (<see cref="IRunCheckpointStore"/>).</summary>
    public BlobRunCheckpointStore Checkpoints { get; }

    /// <summary>Environment leases (<see cref="IEnvironmentLock"/>).</summary>
    public BlobEnvironmentLock Locks { get; }

    /// <summary>The job queue (<see cref="IJobQueue"/>).</summary>
    public QueueJobQueue Jobs { get; }

    /// <summary>Webhook delivery records.</summary>
    public BlobDeliveryLog Deliveries { get; }

    /// <summary>Pull-request previews (<see cref="IPreviewStore"/>).</summary>
    public BlobPreviewStore Previews { get; }

    /// <summary>The resource index that routes ARM events (<see cref="IResourceIndex"/>, table <c>gitopsindex</c>).</summary>
    public TableResourceIndex Index { get; }

    /// <summary>The changes waiting per environment for an event-driven drift run (<see cref="IChangeInbox"/>, table <c>gitopsevents</c>).</summary>
    public TableChangeInbox Inbox { get; }

    /// <summary>The queue ARM events arrive on (<c>arm-events</c>, read as stored; its poison queue holds refused events).</summary>
    public StorageQueueClient EventsQueue { get; }

    /// <summary>Builds the storage and creates the container, the queues and their poison queues if they are missing.</summary>
    /// <param name="connection">The storage account and credential.</param>
    /// <param name="options">Names and settings; the defaults when null.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The ready storage.</returns>
    public static async Task<GitOpsStorage> CreateAsync(StorageConnection connection, GitOpsStorageOptions? options = null, CancellationToken cancellationToken = default)
    {
        var storage = new GitOpsStorage(connection, options);
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return storage;
    }

    /// <summary>
    /// Creates the container, the reconcile and drift queues and their poison queues, the events queue and its poison
    /// queue, and the ledger, index and inbox tables if they do not exist.
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when all exist.</returns>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await Blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await Jobs.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Ledger.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Index.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Inbox.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await EventsQueue.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await EventsQueue.GetPoisonQueueClient().CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }
}
