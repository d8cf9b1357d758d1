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
    /// on a lost race, reads again and applies the change to the newer state.
    /// </summary>
    /// <param name="states">The store.</param>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <param name="change">The new state from the current one, or null to write nothing.</param>
    /// <param name="attempts">How many writes to try.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The state written and its ETag, or null when <paramref name="change"/> declined.</returns>
    /// <exception cref="ConcurrencyConflictException">Every attempt lost a race: the caller must report it, never ignore it.</exception>
    public static async Task<(EnvironmentState State, string ETag)?> UpdateAsync(
        this IEnvironmentStateStore states,
        string repository,
        string environment,
        Func<EnvironmentState, EnvironmentState?> change,
        int attempts = DefaultAttempts,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(change);
        var key = EnvironmentKeys.Of(repository, environment);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await states.GetAsync(key, cancellationToken).ConfigureAwait(false);
            var next = change(stored?.State ?? EnvironmentState.New(repository, environment));
            if (next is null)
            {
                return null;
            }

            try
            {
                var etag = await states.SaveAsync(next, stored?.ETag, cancellationToken).ConfigureAwait(false);
                return (next, etag);
            }
            catch (ConcurrencyConflictException) when (attempt < attempts)
            {
                // Another writer landed first: apply the change again to what it wrote, after a short random pause so
                // that writers who collided do not collide again in lock step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20) * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
