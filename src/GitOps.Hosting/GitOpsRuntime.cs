using GitOps.Arm;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Git.Source;
using GitOps.Hosting.Alerts;
using GitOps.Hosting.Functions;
using GitOps.Hosting.Settings;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting;

/// <summary>
/// The composition shared by both hosts: storage, git, ARM and the engine wired from <see cref="GitOpsSettings"/>, and
/// the five functions built on them. The Functions custom handler and <c>gitops serve</c> each create one at start.
/// </summary>
public sealed class GitOpsRuntime
{
    private GitOpsRuntime(
        GitOpsSettings settings,
        GitOpsStorage storage,
        IConfigSource source,
        IArmResourceClient arm,
        ISecretResolver secrets,
        KeyVaultHostOptions keyVaultHosts,
        ILoggerFactory loggers,
        TimeProvider time)
    {
        Settings = settings;
        Storage = storage;
        Source = source;
        Arm = arm;
        var options = ReconcilerOptions.Default with
        {
            LeaseBusyDelay = settings.LeaseBusyDelay,
            RetryAfterMaximum = settings.RetryAfterMaximum,
            RetryAfterBudget = settings.RetryAfterBudget,

            // Every load of every run checks keyvault() hosts against the same list the resolver enforces.
            Limits = ManifestLimits.Default with { KeyVaultHosts = keyVaultHosts },
        };
        Reconciler = new Reconciler(source, arm, storage.Runs, storage.States, storage.Locks, storage.Jobs, options, time, secrets);
        var alerts = settings.Alerts.Count == 0
            ? null
            : new AlertNotifier(new AlertDispatcher(settings.Alerts, s_alertHttp, loggers.CreateLogger<AlertDispatcher>()), storage.Runs, storage.States, source, loggers.CreateLogger<AlertNotifier>(), time);
        Scheduler = new JobScheduler(storage.States, storage.Jobs, time);
        FanOut = new PushFanOutFunction(settings, source, Scheduler, loggers.CreateLogger<PushFanOutFunction>(), time);
        Reconcile = new ReconcileFunction(Reconciler, loggers.CreateLogger<ReconcileFunction>(), storage.States, alerts, FanOut);
        Poison = new PoisonFunction(storage.Runs, storage.States, loggers.CreateLogger<PoisonFunction>(), time, alerts) { MaxDequeueCount = settings.Queue.MaxDequeueCount };
        Drift = new DriftFunction(settings, source, storage.States, storage.Jobs, loggers.CreateLogger<DriftFunction>(), time);
        Webhook = new WebhookFunction(settings, storage.Jobs, new BlobDeliveryLedger(storage.Deliveries), loggers.CreateLogger<WebhookFunction>(), time);
        Api = new ApiFunction(storage.States, storage.Runs, storage.Jobs, time, storage.Ledger);
        Commands = new ApiCommands(settings, new EnvironmentCatalog(source), Api.Control);
        Retention = new GitOps.Storage.Retention.RetentionCleaner(storage, settings.Retention, time);
    }

    // One client for the process: sockets are pooled, and each attempt carries its own timeout.
    private static readonly HttpClient s_alertHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The settings.</summary>
    public GitOpsSettings Settings { get; }

    /// <summary>Queues, state, runs, locks and deliveries.</summary>
    public GitOpsStorage Storage { get; }

    /// <summary>The config repositories.</summary>
    public IConfigSource Source { get; }

    /// <summary>ARM.</summary>
    public IArmResourceClient Arm { get; }

    /// <summary>The engine.</summary>
    public Reconciler Reconciler { get; }

    /// <summary>Enqueues jobs at most once per environment and commit while one waits.</summary>
    public JobScheduler Scheduler { get; }

    /// <summary>The push fan-out step (runs inside the <c>reconcile</c> queue function).</summary>
    public PushFanOutFunction FanOut { get; }

    /// <summary>The <c>reconcile</c> queue function.</summary>
    public ReconcileFunction Reconcile { get; }

    /// <summary>The <c>poison</c> queue function.</summary>
    public PoisonFunction Poison { get; }

    /// <summary>The <c>drift</c> timer function.</summary>
    public DriftFunction Drift { get; }

    /// <summary>The <c>webhook</c> HTTP function.</summary>
    public WebhookFunction Webhook { get; }

    /// <summary>The <c>api</c> HTTP function.</summary>
    public ApiFunction Api { get; }

    /// <summary>The scheduled cleanup of old runs and delivery records (<c>gitops serve</c>'s retention timer; a Functions timer calls the same <c>RunOnceAsync</c>).</summary>
    public GitOps.Storage.Retention.RetentionCleaner Retention { get; }

    /// <summary>The <c>api</c> function's operations on one environment (sync, suspend, resume).</summary>
    public ApiCommands Commands { get; }

    /// <summary>Builds the runtime and makes sure the container and queues exist.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="getSetting">Reads raw settings (for the storage connection, which follows the Functions naming rules).</param>
    /// <param name="loggers">Logging.</param>
    /// <param name="timeProvider">Clock (tests pass a fake one).</param>
    /// <param name="arm">An ARM client to use instead of the one the settings describe (tests).</param>
    /// <param name="cancellationToken">Start-up cancelled.</param>
    /// <exception cref="InvalidOperationException">The storage or ARM settings are invalid; the message names the setting.</exception>
    public static async Task<GitOpsRuntime> CreateAsync(
        GitOpsSettings settings,
        Func<string, string?> getSetting,
        ILoggerFactory loggers,
        TimeProvider? timeProvider = null,
        IArmResourceClient? arm = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var time = timeProvider ?? TimeProvider.System;
        StorageConnection connection;
        try
        {
            connection = StorageConnection.FromSettings(GitOpsSettings.StorageConnectionName, getSetting);
        }
        catch (FormatException error)
        {
            throw new InvalidOperationException($"Storage settings are invalid: {error.Message}", error);
        }

        GitOpsStorage storage;
        try
        {
            storage = new GitOpsStorage(
                connection,
                new GitOpsStorageOptions { ContainerName = settings.Container, QueueName = settings.QueueName, TableName = settings.RunTable, TimeProvider = time });
        }
        catch (ArgumentException error)
        {
            // A name or a missing endpoint (explicit BlobEndpoint/QueueEndpoint without TableEndpoint): a settings problem.
            throw new InvalidOperationException($"Storage settings are invalid: {error.Message.Split(" (Parameter", 2)[0]}", error);
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        var registry = new RepositoryRegistry();
        foreach (var repository in settings.Repositories)
        {
            registry.Add(
                repository.Name,
                new GitRepositoryOptions
                {
                    Url = repository.Url,
                    Token = repository.Token,
                    TokenScheme = string.Equals(repository.TokenScheme, "Bearer", StringComparison.OrdinalIgnoreCase) ? GitTokenScheme.Bearer : GitTokenScheme.Basic,
                    TokenUserName = repository.TokenUserName ?? "x-access-token",
                },
                repository.DefaultBranch);
        }

        var source = new GitConfigSource(new GitSourceClient(new GitSourceOptions
        {
            CacheRoot = settings.GitCacheRoot,
            MaxFetchBytes = settings.GitMaxFetchBytes,
            MaxCacheBytes = settings.GitCacheMaxBytes,
        }), registry);
        var connectionSettings = settings.Arm with { KeyVaultHostSuffixes = settings.KeyVault.AllowedHostSuffixes };
        ISecretResolver secrets;
        KeyVaultHostOptions keyVaultHosts;
        try
        {
            arm ??= connectionSettings.CreateClient();

            // Key Vault references are read with the reconciler's ARM identity, so one setting covers both.
            secrets = connectionSettings.CreateSecretResolver();
            keyVaultHosts = connectionSettings.CreateKeyVaultHosts();
        }
        catch (ArgumentException error)
        {
            throw new InvalidOperationException($"ARM settings are invalid: {error.Message}", error);
        }

        return new GitOpsRuntime(settings, storage, source, arm, secrets, keyVaultHosts, loggers, time);
    }

    /// <summary>Adapts the blob delivery log to the webhook receiver's replay interface, with its undo.</summary>
    private sealed class BlobDeliveryLedger(BlobDeliveryLog log) : IDeliveryLedger
    {
        public Task<bool> TryRecordAsync(string provider, string deliveryId, CancellationToken cancellationToken) =>
            log.TryRecordAsync(provider, deliveryId, cancellationToken);

        public Task ForgetAsync(string provider, string deliveryId, CancellationToken cancellationToken = default) =>
            log.ForgetAsync(provider, deliveryId, cancellationToken);
    }
}
