namespace GitOps.Core.Ports;

/// <summary>
/// Which environments manage a resource id: the routing table of ARM events. Kept by every run that changes an
/// inventory (ids added before the state is written, ids removed after), so it holds at least every id of every
/// written inventory; an entry whose environment no longer manages its id is stale and is removed lazily by whoever
/// notices (<see cref="RemoveStaleAsync"/>, guarded by the entry's ETag and time).
/// </summary>
public interface IResourceIndex
{
    /// <summary>Records that the environment manages these ids (an upsert: repeating it is harmless).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="resourceIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    Task AddAsync(string repository, string environment, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken = default);

    /// <summary>Removes the environment's entries for these ids (missing ones are ignored).</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="resourceIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    Task RemoveAsync(string repository, string environment, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken = default);

    /// <summary>The entries for one resource id (compared case-insensitively): one per environment that manages it.</summary>
    /// <param name="resourceId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ResourceIndexEntry>> FindAsync(string resourceId, CancellationToken cancellationToken = default);

    /// <summary>Removes an entry found stale, only if nobody has rewritten it since it was read (its ETag).</summary>
    /// <param name="entry">The entry as read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it was removed; false when it had changed or was already gone.</returns>
    Task<bool> RemoveStaleAsync(ResourceIndexEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>One index entry: an environment that manages a resource id.</summary>
/// <param name="ResourceId">The id as the environment's inventory spells it.</param>
/// <param name="Repository">The repository.</param>
/// <param name="Environment">The environment.</param>
/// <param name="UpdatedAt">When it was last written.</param>
/// <param name="ETag">Its version, for <see cref="IResourceIndex.RemoveStaleAsync"/>.</param>
public sealed record ResourceIndexEntry(string ResourceId, string Repository, string Environment, DateTimeOffset UpdatedAt, string ETag);
