using GitOps.Hosting.Handlers;
using GitOps.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// The queue listeners of <c>gitops serve</c>, one per queue the Functions app has a trigger on, built in one place for
/// <see cref="ServeHost"/> and the tests that drive the same listeners. Each job queue (reconcile, drift) has its own
/// listener and so its own batch of slots: drift checks never hold the slot a push is waiting for.
/// </summary>
internal static class ServeListeners
{
    /// <summary>Registers every listener as a hosted service.</summary>
    /// <param name="services">The host's services (with <c>AddGitOps</c> and a <see cref="GitOpsRuntime"/>).</param>
    /// <param name="timeProvider">Clock (tests); the system's when null.</param>
    public static void AddTo(IServiceCollection services, TimeProvider? timeProvider)
    {
        Func<GitOpsRuntime, ILogger, TimeProvider?, QueueListener>[] listeners = [Reconcile, Poison, Drift, DriftPoison, Events];
        foreach (var create in listeners)
        {
            services.AddSingleton<IHostedService>(sp => create(
                sp.GetRequiredService<GitOpsRuntime>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName(create)),
                timeProvider));
        }
    }

    /// <summary>The reconcile queue: pushes, manual syncs, rollbacks, previews.</summary>
    public static QueueListener Reconcile(GitOpsRuntime runtime, ILogger logger, TimeProvider? timeProvider = null) =>
        Jobs(runtime, runtime.Storage.Queue, logger, timeProvider);

    /// <summary>The reconcile queue's poison queue.</summary>
    public static QueueListener Poison(GitOpsRuntime runtime, ILogger logger, TimeProvider? timeProvider = null) =>
        Poisoned(runtime, runtime.Storage.Queue.GetPoisonQueueClient(), logger, timeProvider);

    /// <summary>The drift queue: drift checks from the timer and from ARM events.</summary>
    public static QueueListener Drift(GitOpsRuntime runtime, ILogger logger, TimeProvider? timeProvider = null) =>
        Jobs(runtime, runtime.Storage.DriftQueue, logger, timeProvider);

    /// <summary>The drift queue's poison queue.</summary>
    public static QueueListener DriftPoison(GitOpsRuntime runtime, ILogger logger, TimeProvider? timeProvider = null) =>
        Poisoned(runtime, runtime.Storage.DriftQueue.GetPoisonQueueClient(), logger, timeProvider);

    /// <summary>ARM events from the Event Grid subscription's queue, read as stored (JSON or Base64 of it).</summary>
    public static QueueListener Events(GitOpsRuntime runtime, ILogger logger, TimeProvider? timeProvider = null) => new(
        runtime.Storage.EventsQueue,
        async (text, dequeueCount, ct) => (await runtime.Events.HandleAsync(text, dequeueCount, ct).ConfigureAwait(false)).Disposition,
        runtime.Settings.Queue,
        logger,
        timeProvider);

    private static QueueListener Jobs(GitOpsRuntime runtime, StorageQueueClient queue, ILogger logger, TimeProvider? timeProvider) => new(
        queue,
        async (text, dequeueCount, ct) => (await runtime.Reconcile.RunAsync(text, dequeueCount, ct).ConfigureAwait(false)).Disposition,
        runtime.Settings.Queue,
        logger,
        timeProvider);

    private static QueueListener Poisoned(GitOpsRuntime runtime, StorageQueueClient queue, ILogger logger, TimeProvider? timeProvider) => new(
        queue,
        async (text, dequeueCount, ct) => await runtime.Poison.RunAsync(text, dequeueCount, ct).ConfigureAwait(false) is null ? MessageDisposition.Retry : MessageDisposition.Complete,
        runtime.Settings.Queue,
        logger,
        timeProvider)
    {
        IsPoisonQueue = true,
    };

    // GitOps.Queue.Reconcile, GitOps.Queue.Drift, …: the log names each listener by its queue.
    private static string LoggerName(Func<GitOpsRuntime, ILogger, TimeProvider?, QueueListener> create) => "GitOps.Queue." + create.Method.Name;
}
