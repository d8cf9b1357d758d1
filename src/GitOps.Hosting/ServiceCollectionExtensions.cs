using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Reconcile;
using GitOps.Git.Source;
using GitOps.Hosting.Alerts;
using GitOps.Hosting.Handlers;
using GitOps.Hosting.Options;
using GitOps.Hosting.Settings;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Storage.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GitOps.Hosting;

/// <summary>
/// The one composition of the application layer, used by the Functions worker and <c>gitops serve</c> alike: settings
/// read and validated at start (every problem at once, each naming its setting), the adapters, the engine and the
/// handlers. Nothing here calls a service: containers and queues are created on first use.
/// </summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The name of the alert sinks' HTTP client.</summary>
    internal const string AlertHttpClient = "GitOps.Alerts";

    /// <summary>The name of the pull-request APIs' HTTP client (no redirects).</summary>
    internal const string PullRequestHttpClient = "GitOps.PullRequests";

    /// <summary>Registers the application layer, reading <c>AzureWebJobsStorage</c> and <c>GitOps__*</c> from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The app settings.</param>
    public static IServiceCollection AddGitOps(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddGitOps(() => GitOpsOptions.Read(configuration));
    }

    /// <summary>Registers the application layer on options read by <paramref name="read"/> (once, when first needed).</summary>
    internal static IServiceCollection AddGitOps(this IServiceCollection services, Func<GitOpsOptions> read)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.AddLogging();
        services.AddSingleton<IValidateOptions<GitOpsOptions>, GitOpsOptionsValidator>();
        services.AddOptions<GitOpsOptions>().Configure(options => options.CopyFrom(read())).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(AlertHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan);

        services.AddSingleton(sp => Valid(sp).Settings);
        services.AddSingleton(sp =>
        {
            var options = Valid(sp);
            return new GitOpsStorage(options.Storage!, new GitOpsStorageOptions
            {
                ContainerName = options.Settings.Container,
                QueueName = options.Settings.QueueName,
                TableName = options.Settings.RunTable,
                EventsQueueName = options.Settings.Events.QueueName,
                TimeProvider = sp.GetRequiredService<TimeProvider>(),
            });
        });
        services.AddSingleton<IRunStore>(sp => sp.GetRequiredService<GitOpsStorage>().Runs);
        services.AddSingleton<IEnvironmentStateStore>(sp => sp.GetRequiredService<GitOpsStorage>().States);
        services.AddSingleton<IEnvironmentLock>(sp => sp.GetRequiredService<GitOpsStorage>().Locks);
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<GitOpsStorage>().Jobs);
        services.AddSingleton<IResourceIndex>(sp => sp.GetRequiredService<GitOpsStorage>().Index);
        services.AddSingleton<IChangeInbox>(sp => sp.GetRequiredService<GitOpsStorage>().Inbox);
        services.AddSingleton<IDeliveryLedger>(sp => new BlobDeliveryLedger(sp.GetRequiredService<GitOpsStorage>().Deliveries));
        services.AddHostedService<StorageProvisioning>();

        services.AddSingleton<IConfigSource>(sp => CreateSource(sp.GetRequiredService<GitOpsSettings>()));
        services.AddSingleton<IPullRequestSource>(sp => (IPullRequestSource)sp.GetRequiredService<IConfigSource>());
        services.AddSingleton<IPreviewQueue>(sp => sp.GetRequiredService<GitOpsStorage>().Jobs);
        services.AddSingleton<IPreviewStore>(sp => sp.GetRequiredService<GitOpsStorage>().Previews);

        // Tokens for pull-request APIs go only to the configured API: no redirect is followed with them.
        services.AddHttpClient(PullRequestHttpClient, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        services.TryAddSingleton(sp => Valid(sp).Arm!);
        services.AddSingleton(sp => Valid(sp).Secrets!);
        services.AddSingleton(sp =>
        {
            var options = Valid(sp);
            return ReconcilerOptions.Default with
            {
                LeaseBusyDelay = options.Settings.LeaseBusyDelay,
                RetryAfterMaximum = options.Settings.RetryAfterMaximum,
                RetryAfterBudget = options.Settings.RetryAfterBudget,
                RunBudget = options.Settings.RunBudget,
                TargetedPushes = options.Settings.TargetedPushes,
                Apply = ApplyOptions.Default with { ListExistence = options.Settings.ListExistence },

                // Every load of every run checks keyvault() hosts against the same list the resolver enforces.
                Limits = ManifestLimits.Default with { KeyVaultHosts = options.KeyVaultHosts! },

                // Bodies are checked against the resource type catalogue, and plans follow its read-only/write-only flags.
                ResourceTypes = Schemas.BicepTypeCatalog.Shared,
            };
        });
        services.AddSingleton(sp =>
        {
            var reconcilerOptions = sp.GetRequiredService<ReconcilerOptions>();
            return new Reconciler(
                sp.GetRequiredService<IConfigSource>(), sp.GetRequiredService<IArmResourceClient>(), sp.GetRequiredService<IRunStore>(),
                sp.GetRequiredService<IEnvironmentStateStore>(), sp.GetRequiredService<IEnvironmentLock>(), sp.GetRequiredService<IJobQueue>(),
                reconcilerOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ISecretResolver>(), sp.GetRequiredService<IResourceIndex>(), sp.GetRequiredService<GitOpsStorage>().Checkpoints);
        });
        services.AddSingleton(sp => new JobScheduler(sp.GetRequiredService<IEnvironmentStateStore>(), sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EnvironmentControl(sp.GetRequiredService<IEnvironmentStateStore>(), sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EnvironmentCatalog(sp.GetRequiredService<IConfigSource>()));
        services.AddSingleton(sp => new AlertDispatcher(
            sp.GetRequiredService<GitOpsSettings>().Alerts,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(AlertHttpClient),
            sp.GetRequiredService<ILogger<AlertDispatcher>>()));
        services.AddSingleton(sp => new AlertNotifier(
            sp.GetRequiredService<AlertDispatcher>(), sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IEnvironmentStateStore>(),
            sp.GetRequiredService<IConfigSource>(), sp.GetRequiredService<ILogger<AlertNotifier>>(), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton(sp => new PullRequestPublishers(
            sp.GetRequiredService<GitOpsSettings>(), sp.GetRequiredService<IHttpClientFactory>().CreateClient(PullRequestHttpClient)));
        services.AddSingleton(sp => new PreviewRunner(
            sp.GetRequiredService<IConfigSource>(), sp.GetRequiredService<IPullRequestSource>(), sp.GetRequiredService<IArmResourceClient>(),
            sp.GetRequiredService<IEnvironmentStateStore>(), sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IPreviewStore>(),
            sp.GetRequiredService<ReconcilerOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PreviewHandlers(
            new PullRequestFanOutHandler(
                sp.GetRequiredService<GitOpsSettings>(), sp.GetRequiredService<IConfigSource>(), sp.GetRequiredService<IPullRequestSource>(),
                sp.GetRequiredService<IPreviewQueue>(), sp.GetRequiredService<IPreviewStore>(), sp.GetRequiredService<PullRequestPublishers>(),
                sp.GetRequiredService<ILogger<PullRequestFanOutHandler>>(), sp.GetRequiredService<TimeProvider>()),
            new PreviewJobHandler(
                sp.GetRequiredService<PreviewRunner>(), sp.GetRequiredService<IPreviewStore>(), sp.GetRequiredService<PullRequestPublishers>(),
                sp.GetRequiredService<IConfigSource>(), sp.GetRequiredService<ILogger<PreviewJobHandler>>()),
            new PreviewMatcher(sp.GetRequiredService<IPreviewStore>(), sp.GetRequiredService<IPullRequestSource>()),
            sp.GetRequiredService<IRunStore>()));
        services.AddSingleton(sp => new PushFanOutHandler(
            sp.GetRequiredService<GitOpsSettings>(), sp.GetRequiredService<IConfigSource>(), sp.GetRequiredService<JobScheduler>(),
            sp.GetRequiredService<ILogger<PushFanOutHandler>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EventJobScheduler(
            sp.GetRequiredService<GitOpsSettings>().Events, sp.GetRequiredService<IChangeInbox>(), sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EventDriftRunner(
            sp.GetRequiredService<GitOpsSettings>().Events, sp.GetRequiredService<IChangeInbox>(), sp.GetRequiredService<EventJobScheduler>(),
            sp.GetRequiredService<IResourceIndex>(), sp.GetRequiredService<IEnvironmentStateStore>(), sp.GetRequiredService<ILogger<EventDriftRunner>>()));
        services.AddSingleton(sp => new ArmEventHandler(
            sp.GetRequiredService<GitOpsSettings>().Events, sp.GetRequiredService<IResourceIndex>(), sp.GetRequiredService<IChangeInbox>(),
            sp.GetRequiredService<EventJobScheduler>(), sp.GetRequiredService<GitOpsStorage>().EventsQueue.GetPoisonQueueClient(),
            sp.GetRequiredService<ILogger<ArmEventHandler>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ReconcileJobHandler(
            sp.GetRequiredService<Reconciler>(), sp.GetRequiredService<ILogger<ReconcileJobHandler>>(), sp.GetRequiredService<IEnvironmentStateStore>(),
            Alerts(sp), sp.GetRequiredService<PushFanOutHandler>(), sp.GetRequiredService<PreviewHandlers>(), sp.GetRequiredService<EventDriftRunner>()));
        services.AddSingleton(sp => new PoisonJobHandler(
            sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IEnvironmentStateStore>(), sp.GetRequiredService<ILogger<PoisonJobHandler>>(),
            sp.GetRequiredService<TimeProvider>(), Alerts(sp))
        {
            MaxDequeueCount = sp.GetRequiredService<GitOpsSettings>().Queue.MaxDequeueCount,
        });
        services.AddSingleton(sp => new DriftScheduler(
            sp.GetRequiredService<GitOpsSettings>(), sp.GetRequiredService<IConfigSource>(), sp.GetRequiredService<IEnvironmentStateStore>(),
            sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<ILogger<DriftScheduler>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new WebhookHandler(
            sp.GetRequiredService<GitOpsSettings>(), sp.GetRequiredService<IJobQueue>(), sp.GetRequiredService<IDeliveryLedger>(),
            sp.GetRequiredService<ILogger<WebhookHandler>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IPreviewQueue>()));
        services.AddSingleton(sp => new ApiCommands(sp.GetRequiredService<GitOpsSettings>(), sp.GetRequiredService<EnvironmentCatalog>(), sp.GetRequiredService<EnvironmentControl>()));
        services.AddSingleton(sp => new ApiHandler(
            sp.GetRequiredService<IEnvironmentStateStore>(), sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<EnvironmentControl>(),
            sp.GetRequiredService<ApiCommands>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<GitOpsStorage>().Ledger));
        services.AddSingleton(sp => new StatusPageHandler(sp.GetRequiredService<ApiHandler>(), sp.GetRequiredService<TimeProvider>()));

        // Each host drives the retention handler from its own timer (the worker: RetentionTimerFunction; serve: RetentionTimer).
        services.AddSingleton(sp => new RetentionCleaner(
            sp.GetRequiredService<GitOpsStorage>(), sp.GetRequiredService<GitOpsSettings>().Retention, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RetentionHandler(sp.GetRequiredService<RetentionCleaner>()));
        return services;
    }

    /// <summary>The options; throws with every problem when they are invalid (start-up validation reports the same).</summary>
    /// <exception cref="InvalidOperationException">The message lists every problem, each naming its setting.</exception>
    internal static GitOpsOptions Valid(IServiceProvider services)
    {
        try
        {
            return services.GetRequiredService<IOptions<GitOpsOptions>>().Value;
        }
        catch (OptionsValidationException error)
        {
            throw new InvalidOperationException(GitOpsSettings.Describe(error.Failures), error);
        }
    }

    /// <summary>The alert notifier, or null when no sink is configured (the handlers then send nothing).</summary>
    private static AlertNotifier? Alerts(IServiceProvider services) =>
        services.GetRequiredService<GitOpsSettings>().Alerts.Count == 0 ? null : services.GetRequiredService<AlertNotifier>();

    private static GitConfigSource CreateSource(GitOpsSettings settings)
    {
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

        return new GitConfigSource(
            new GitSourceClient(new GitSourceOptions
            {
                CacheRoot = settings.GitCacheRoot,
                MaxFetchBytes = settings.GitMaxFetchBytes,
                MaxCacheBytes = settings.GitCacheMaxBytes,
            }),
            registry);
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
