using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>
/// The checkpoint of the run that holds an environment (<see cref="RunCheckpoint"/>): at most one per environment,
/// guarded by ETags like the environment state, and written only by a worker holding the environment's lease.
/// </summary>
public interface IRunCheckpointStore
{
    /// <summary>Reads the environment's checkpoint; null when there is none. A damaged one is returned with <see cref="StoredRunCheckpoint.Problem"/> set.</summary>
    Task<StoredRunCheckpoint?> GetAsync(string environmentKey, CancellationToken cancellationToken = default);

    /// <summary>Writes the checkpoint if it still has <paramref name="etag"/> (null: only if there is none). Returns the new ETag.</summary>
    /// <exception cref="ConcurrencyConflictException">Another writer wrote or deleted it since.</exception>
    Task<string> SaveAsync(RunCheckpoint checkpoint, string? etag, CancellationToken cancellationToken = default);

    /// <summary>Deletes the checkpoint if it still has <paramref name="etag"/>; a checkpoint already gone is not an error.</summary>
    /// <exception cref="ConcurrencyConflictException">Another writer replaced it since.</exception>
    Task DeleteAsync(string environmentKey, string etag, CancellationToken cancellationToken = default);
}

/// <summary>A stored checkpoint as read.</summary>
/// <param name="Checkpoint">The checkpoint; null when it could not be read.</param>
/// <param name="ETag">Its ETag, for the next write or the delete.</param>
/// <param name="Problem">Why it could not be read (damaged, another format); null when it was.</param>
public sealed record StoredRunCheckpoint(RunCheckpoint? Checkpoint, string ETag, string? Problem = null);
