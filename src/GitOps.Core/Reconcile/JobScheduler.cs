using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>
/// Enqueues reconcile jobs at most once per environment and commit while one waits: the pending job is marked in the
/// environment state (<see cref="EnvironmentState.PendingJobs"/>, ETag-guarded) after the message is sent, and the
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
        var stored = await states.GetAsync(job.EnvironmentKey, cancellationToken).ConfigureAwait(false);
        if (stored?.State.PendingJobs.TryGetValue(key, out var since) == true && now - since < PendingExpiry && since <= now)
        {
            return false;
        }

        // Send first, mark after: a worker that dies between the two leaves an unmarked job (at worst a duplicate,
        // which is a no-op run), never a mark without its job, which would block the push's redelivery.
        await queue.EnqueueAsync(job, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await states.UpdateAsync(
                job.Repository,
                job.Environment,
                state =>
                {
                    var pending = Live(state.PendingJobs, now);
                    pending[key] = now;
                    return state with { PendingJobs = pending };
                },
                MarkAttempts,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            // The state is too busy to mark (a burst of pushes fanning out at once, a run recording): the job is queued,
            // and an unmarked commit only risks a second, no-op job.
        }

        return true;
    }

    /// <summary>The pending marks without <paramref name="job"/>'s and without expired ones (used when a run starts).</summary>
    public static Dictionary<string, DateTimeOffset> Without(IReadOnlyDictionary<string, DateTimeOffset> pending, ReconcileJob job, DateTimeOffset now)
    {
        var live = Live(pending, now);
        live.Remove(KeyOf(job));
        return live;
    }

    private static Dictionary<string, DateTimeOffset> Live(IReadOnlyDictionary<string, DateTimeOffset> pending, DateTimeOffset now) =>
        pending.Where(p => now - p.Value < PendingExpiry).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
