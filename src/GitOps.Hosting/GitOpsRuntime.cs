using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Hosting.Handlers;
using GitOps.Hosting.Options;
using GitOps.Hosting.Settings;
using GitOps.Storage.Reconcile;
using GitOps.Storage.Retention;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting;

/// <summary>
/// A view of the registrations <see cref="ServiceCollectionExtensions.AddGitOps(IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>
/// makes, by name, for callers that reach into a running host (the quick start, tests, benchmarks). It composes
/// nothing itself: every member is resolved from the container.
/// </summary>
public sealed class GitOpsRuntime
{
    private GitOpsRuntime(IServiceProvider services)
    {
        Services = services;
        Settings = services.GetRequiredService<GitOpsSettings>();
        Storage = services.GetRequiredService<GitOpsStorage>();
        Source = services.GetRequiredService<IConfigSource>();
        Arm = services.GetRequiredService<IArmResourceClient>();
        Reconciler = services.GetRequiredService<Reconciler>();
        Scheduler = services.GetRequiredService<JobScheduler>();
        FanOut = services.GetRequiredService<PushFanOutHandler>();
        Reconcile = services.GetRequiredService<ReconcileJobHandler>();
        Poison = services.GetRequiredService<PoisonJobHandler>();
        Events = services.GetRequiredService<ArmEventHandler>();
        Drift = services.GetRequiredService<DriftScheduler>();
        Webhook = services.GetRequiredService<WebhookHandler>();
        Api = services.GetRequiredService<ApiHandler>();
        StatusPage = services.GetRequiredService<StatusPageHandler>();
        Commands = services.GetRequiredService<ApiCommands>();
        Retention = services.GetRequiredService<RetentionCleaner>();
        Previews = services.GetRequiredService<PreviewHandlers>();
    }

    /// <summary>The pull-request previews: fan-out, preview jobs, and the merge's comparison.</summary>
    public PreviewHandlers Previews { get; }

    /// <summary>The container everything was resolved from.</summary>
    public IServiceProvider Services { get; }

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
    public PushFanOutHandler FanOut { get; }

    /// <summary>The <c>reconcile</c> queue handler.</summary>
    public ReconcileJobHandler Reconcile { get; }

    /// <summary>The <c>poison</c> queue handler.</summary>
    public PoisonJobHandler Poison { get; }

    /// <summary>The <c>events</c> queue handler (ARM events → scoped drift checks).</summary>
    public ArmEventHandler Events { get; }

    /// <summary>The <c>drift</c> timer handler.</summary>
    public DriftScheduler Drift { get; }

    /// <summary>The <c>webhook</c> HTTP handler.</summary>
    public WebhookHandler Webhook { get; }

    /// <summary>The <c>api</c> HTTP handler.</summary>
    public ApiHandler Api { get; }

    /// <summary>The <c>status</c> HTTP handler.</summary>
    public StatusPageHandler StatusPage { get; }

    /// <summary>The scheduled cleanup of old runs and delivery records (both hosts' retention timers call its <c>RunOnceAsync</c>).</summary>
    public RetentionCleaner Retention { get; }

    /// <summary>The api's operations on one environment (sync, suspend, resume).</summary>
    public ApiCommands Commands { get; }

    /// <summary>The runtime of a container built with <c>AddGitOps</c>.</summary>
    /// <param name="services">The container.</param>
    /// <exception cref="InvalidOperationException">The settings are invalid; the message lists every problem.</exception>
    public static GitOpsRuntime FromServices(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _ = ServiceCollectionExtensions.Valid(services);
        return new GitOpsRuntime(services);
    }

    /// <summary>Composes the application layer without a host and makes sure the container and queues exist.</summary>
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
        ArgumentNullException.ThrowIfNull(getSetting);
        ArgumentNullException.ThrowIfNull(loggers);
        var services = new ServiceCollection();
        services.AddSingleton(loggers);
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (arm is not null)
        {
            services.AddSingleton(arm);
        }

        services.AddGitOps(() => GitOpsOptions.Read(settings, getSetting, []));
        var runtime = FromServices(services.BuildServiceProvider());
        await runtime.Storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        return runtime;
    }
}
