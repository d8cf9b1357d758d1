using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The <c>drift</c> timer function: for every environment of every watched repository whose drift interval has
/// elapsed, enqueue one drift job — never a second while one is still waiting.
/// </summary>
/// <param name="settings">The watched repositories.</param>
/// <param name="source">Reads <c>gitops.yaml</c> at each repository's default branch.</param>
/// <param name="states">Environment state: when the last drift job was enqueued, and whether one is pending.</param>
/// <param name="queue">The reconcile queue.</param>
/// <param name="logger">Log.</param>
/// <param name="timeProvider">Clock.</param>
public sealed class DriftScheduler(
    GitOpsSettings settings,
    IConfigSource source,
    IEnvironmentStateStore states,
    IJobQueue queue,
    ILogger<DriftScheduler> logger,
    TimeProvider? timeProvider = null)
{
    /// <summary>
    /// A pending drift job older than this many intervals is assumed lost (its message expired or was deleted by
    /// hand), so a new one may be enqueued; otherwise one lost message would stop drift checks for good.
    /// </summary>
    public const int PendingExpiryIntervals = 4;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Enqueues the drift jobs that are due; returns the environment keys enqueued.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken = default)
    {
        var enqueued = new List<string>();
        foreach (var repository in settings.Repositories)
        {
            IReadOnlyList<EnvironmentDefinition> environments;
            try
            {
                var (tip, config) = await new EnvironmentCatalog(source).ReadAsync(repository.Name, cancellationToken).ConfigureAwait(false);
                if (config.HasErrors)
                {
                    logger.LogWarning("Drift check skipped for {Repository}: gitops.yaml at {Commit} is invalid.", repository.Name, tip.ShortSha);
                    continue;
                }

                environments = config.Environments;
            }
            catch (ConfigSourceException error)
            {
                // One unreachable repository must not stop drift checks of the others.
                logger.LogWarning("Drift check skipped for {Repository}: {Reason}", repository.Name, error.Message);
                continue;
            }

            foreach (var environment in environments)
            {
                if (await EnqueueIfDueAsync(repository.Name, environment, cancellationToken).ConfigureAwait(false))
                {
                    enqueued.Add(EnvironmentKeys.Of(repository.Name, environment.Name));
                }
            }
        }

        return enqueued;
    }

    private async Task<bool> EnqueueIfDueAsync(string repository, EnvironmentDefinition environment, CancellationToken cancellationToken)
    {
        var key = EnvironmentKeys.Of(repository, environment.Name);
        var now = _time.GetUtcNow();
        var stored = await states.GetAsync(key, cancellationToken).ConfigureAwait(false);
        var state = stored?.State ?? EnvironmentState.New(repository, environment.Name);
        if (state.LastDriftCheckAt is { } last && now - last < environment.DriftInterval)
        {
            return false;
        }

        if (state.DriftPendingSince is { } pending && now - pending < environment.DriftInterval * PendingExpiryIntervals)
        {
            return false;
        }

        // Claim first (ETag-guarded), then enqueue: two timers racing cannot both enqueue, and a failed enqueue
        // leaves a pending mark that expires instead of a lost drift check.
        try
        {
            await states.SaveAsync(state with { LastDriftCheckAt = now, DriftPendingSince = now }, stored?.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }

        await queue.EnqueueAsync(ReconcileJob.Create(repository, environment.Name, RunTrigger.Drift, commit: null, now), cancellationToken: cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Drift check of {Environment} enqueued (interval {Interval}).", key, environment.DriftInterval);
        return true;
    }
}
