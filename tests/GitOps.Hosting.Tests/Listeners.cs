using GitOps.Hosting.Standalone;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Hosting.Tests;

/// <summary>The listeners <see cref="ServeHost"/> runs (<see cref="ServeListeners"/>), quiet.</summary>
internal static class Listeners
{
    public static QueueListener Reconcile(GitOpsRuntime runtime) => ServeListeners.Reconcile(runtime, NullLogger.Instance);

    public static QueueListener Drift(GitOpsRuntime runtime) => ServeListeners.Drift(runtime, NullLogger.Instance);

    public static QueueListener Events(GitOpsRuntime runtime) => ServeListeners.Events(runtime, NullLogger.Instance);

    public static QueueListener Poison(GitOpsRuntime runtime) => ServeListeners.Poison(runtime, NullLogger.Instance);

    public static QueueListener DriftPoison(GitOpsRuntime runtime) => ServeListeners.DriftPoison(runtime, NullLogger.Instance);
}
