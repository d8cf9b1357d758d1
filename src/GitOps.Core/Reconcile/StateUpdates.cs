using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>The read-change-write loop over the ETag-guarded state store, shared by everything that edits a state.</summary>
public static class StateUpdates
{
    /// <summary>How many times a write that lost an ETag race is tried again on the newer state.</summary>
    public const int DefaultAttempts = 5;

    /// <summary>
    /// Reads the state of an environment, applies <paramref name="change"/> and writes it if nobody wrote meanwhile;
    /// on a lost race, reads again and applies the change to the newer state. The one ETag merge loop: every writer of
    /// a state (runs, the api, the scheduler, the poison handler) goes through it.
    /// </summary>
    /// <param name="states">The store.</param>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <param name="change">The new state from the current one, or null to write nothing.</param>
    /// <param name="attempts">How many writes to try.</param>
    /// <param name="known">The state as the caller last read it and its ETag (null ETag: it did not exist), so that the
    /// first attempt needs no read; null to read first.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The state written and its ETag, or null when <paramref name="change"/> declined.</returns>
    /// <exception cref="ConcurrencyConflictException">Every attempt lost a race: the caller must report it, never ignore it.</exception>
    public static async Task<(EnvironmentState State, string ETag)?> UpdateAsync(
        this IEnvironmentStateStore states,
        string repository,
        string environment,
        Func<EnvironmentState, EnvironmentState?> change,
        int attempts = DefaultAttempts,
        (EnvironmentState State, string? ETag)? known = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(change);
        var key = EnvironmentKeys.Of(repository, environment);
        var current = known;
        for (var attempt = 1; ; attempt++)
        {
            if (current is null)
            {
                var stored = await states.GetAsync(key, cancellationToken).ConfigureAwait(false);
                current = stored is { } found ? (found.State, found.ETag) : (EnvironmentState.New(repository, environment), null);
            }

            var next = change(current.Value.State);
            if (next is null)
            {
                return null;
            }

            try
            {
                var etag = await states.SaveAsync(next, current.Value.ETag, cancellationToken).ConfigureAwait(false);
                return (next, etag);
            }
            catch (ConcurrencyConflictException) when (attempt < attempts)
            {
                // Another writer landed first: apply the change again to what it wrote, after a short random pause so
                // that writers who collided do not collide again in lock step. The pause is jitter between live
                // writers, not a schedule, so it runs on the real clock: on a test's fake clock it would never end.
                current = null;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20) * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
