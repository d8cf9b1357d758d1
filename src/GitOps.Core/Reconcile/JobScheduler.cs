using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Enqueues reconcile jobs at most once per environment and commit while one waits: the pending job is marked in the
/// environment state (<see cref="EnvironmentState.PendingJobs"/>, ETag-guarded) before the message is sent, and the
/// mark is removed when the job's run starts. Replayed or duplicated deliveries of one push therefore queue one job.
/// </summary>
/// <param name="states">Environment states (where the marks live).</param>
/// <param name="queue">The reconcile queue.</param>
/// <param name="timeProvider">Clock.</param>
public sealed class JobScheduler(IEnvironmentStateStore states, IJobQueue queue, TimeProvider? timeProvider = null)
{
    /// <summary>The key of branch-tip jobs (no commit) in <see cref="EnvironmentState.PendingJobs"/>.</summary>
    public const string TipKey = "tip";

    /// <summary>
    /// A mark older than this is taken to belong to a lost message (expired, deleted by hand), so a new job may be
    /// enqueued; otherwise one lost message would block that commit for good.
    /// </summary>
    public static readonly TimeSpan PendingExpiry = TimeSpan.FromHours(1);

    // More than the default: fan-outs of a burst mark the same state at once, and each lost race costs one read.
    private const int MarkAttempts = 10;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>The key a job is marked under.</summary>
    public static string KeyOf(ReconcileJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Commit?.ToLowerInvariant() ?? TipKey;
    }

    /// <summary>Enqueues <paramref name="job"/> unless a job for the same environment and commit is already waiting.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when enqueued; false when one was already waiting.</returns>
    public async Task<bool> EnqueueOnceAsync(ReconcileJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var key = KeyOf(job);
        var now = _time.GetUtcNow();
        (EnvironmentState State, string ETag)? marked;
        try
        {
            marked = await states.UpdateAsync(
                job.Repository,
                job.Environment,
                state =>
                {
                    if (state.PendingJobs.TryGetValue(key, out var since) && now - since < PendingExpiry && since <= now)
                    {
                        return null;
                    }

                    var pending = Live(state.PendingJobs, now);
                    pending[key] = now;
                    return state with { PendingJobs = pending };
                },
                MarkAttempts,
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            // The state is too busy to mark (a burst of pushes fanning out at once, a run recording): deliver instead
            // of deduplicating. A second job for a commit is a no-op run; a push lost to contention is not.
            await queue.EnqueueAsync(job, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (marked is null)
        {
            return false;
        }

        try
        {
            await queue.EnqueueAsync(job, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch
        {
            // Take the mark back so the caller's retry (the git host's redelivery) can enqueue; if this fails too,
            // the mark expires after PendingExpiry.
            await ReleaseAsync(job, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The pending marks without <paramref name="job"/>'s and without expired ones (used when a run starts).</summary>
    public static Dictionary<string, DateTimeOffset> Without(IReadOnlyDictionary<string, DateTimeOffset> pending, ReconcileJob job, DateTimeOffset now)
    {
        var live = Live(pending, now);
        live.Remove(KeyOf(job));
        return live;
    }

    private async Task ReleaseAsync(ReconcileJob job, CancellationToken cancellationToken)
    {
        try
        {
            await states.UpdateAsync(
                job.Repository,
                job.Environment,
                state => state.PendingJobs.ContainsKey(KeyOf(job)) ? state with { PendingJobs = Without(state.PendingJobs, job, _time.GetUtcNow()) } : null,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Best effort: the enqueue failure is what the caller reports; the mark expires on its own.
        }
    }

    private static Dictionary<string, DateTimeOffset> Live(IReadOnlyDictionary<string, DateTimeOffset> pending, DateTimeOffset now) =>
        pending.Where(p => now - p.Value < PendingExpiry).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
