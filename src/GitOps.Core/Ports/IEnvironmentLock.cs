namespace GitOps.Core.Ports;

/// <summary>
/// One reconcile at a time per environment, across every worker (a blob lease per environment, renewed while
/// work runs; a killed worker's lease simply expires).
/// </summary>
public interface IEnvironmentLock
{
    /// <summary>Takes the environment's lock, or returns null at once when another worker holds it.</summary>
    Task<IEnvironmentLease?> TryAcquireAsync(string environmentKey, CancellationToken cancellationToken = default);
}

/// <summary>A held lock; disposing releases it.</summary>
public interface IEnvironmentLease : IAsyncDisposable
{
    /// <summary>Cancelled when the lease could not be renewed: stop writing, another worker may take over.</summary>
    CancellationToken Lost { get; }
}
