using GitOps.Storage.Reconcile;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting;

/// <summary>
/// Creates the blob container and the queues once the host runs, off the start-up path: a failure is logged and never
/// stops the host (each store's first use reports it again), so a storage outage cannot keep the app from starting.
/// </summary>
/// <remarks>
/// The queue is created lazily by <see cref="QueueJobQueue"/>; the container is not, so this covers it until the
/// storage layer creates its container on first use too (then this class goes away).
/// </remarks>
internal sealed class StorageProvisioning(IServiceProvider services, ILogger<StorageProvisioning> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Resolved here, not in the constructor, so that invalid settings are reported by start-up validation.
            var storage = services.GetRequiredService<GitOpsStorage>();
            await storage.EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning("Could not create the storage container and queues ({Error}); they are needed before the first run.", error.GetType().Name);
        }
    }
}
