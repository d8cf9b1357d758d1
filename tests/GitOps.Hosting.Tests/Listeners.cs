using GitOps.Hosting.Handlers;
using GitOps.Hosting.Standalone;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Hosting.Tests;

/// <summary>Builds the listeners the way <see cref="ServeHost"/> does.</summary>
internal static class Listeners
{
    public static QueueListener Reconcile(GitOpsRuntime runtime) => new(
        runtime.Storage.Queue,
        async (text, dequeueCount, ct) => (await runtime.Reconcile.RunAsync(text, dequeueCount, ct)).Disposition,
        runtime.Settings.Queue,
        NullLogger.Instance);

    public static QueueListener Events(GitOpsRuntime runtime) => new(
        runtime.Storage.EventsQueue,
        async (text, dequeueCount, ct) => (await runtime.Events.HandleAsync(text, dequeueCount, ct)).Disposition,
        runtime.Settings.Queue,
        NullLogger.Instance);

    public static QueueListener Poison(GitOpsRuntime runtime) => new(
        runtime.Storage.Queue.GetPoisonQueueClient(),
        async (text, dequeueCount, ct) => await runtime.Poison.RunAsync(text, dequeueCount, ct) is null ? MessageDisposition.Retry : MessageDisposition.Complete,
        runtime.Settings.Queue,
        NullLogger.Instance)
    {
        IsPoisonQueue = true,
    };
}
