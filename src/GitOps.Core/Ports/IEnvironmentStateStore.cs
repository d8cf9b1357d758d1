using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>Environment state documents, guarded by ETags so two writers never silently overwrite each other.</summary>
public interface IEnvironmentStateStore
{
    /// <summary>Reads the state and its ETag; null when the environment was never reconciled.</summary>
    Task<(EnvironmentState State, string ETag)?> GetAsync(string environmentKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the state if it still has <paramref name="etag"/> (null: only if it does not exist yet). Returns the new ETag.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">Someone else wrote it first.</exception>
    Task<string> SaveAsync(EnvironmentState state, string? etag, CancellationToken cancellationToken = default);

    /// <summary>All environment keys that have state.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>An optimistic-concurrency write lost the race.</summary>
/// <param name="message">What was being written.</param>
public sealed class ConcurrencyConflictException(string message) : Exception(message);
