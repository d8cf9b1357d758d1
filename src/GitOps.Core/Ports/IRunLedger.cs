using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>
/// The index of run records: one <see cref="RunSummary"/> per run, listed newest first for one environment or all,
/// filtered and paged by the store itself. Listing never reads full records (<see cref="IRunStore.GetAsync"/> does).
/// </summary>
public interface IRunLedger
{
    /// <summary>One page of runs, newest first.</summary>
    /// <param name="query">Environment, filters, page size and continuation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the token of the next one.</returns>
    /// <exception cref="ArgumentException">The environment key or the continuation token is not valid.</exception>
    Task<RunListPage> ListAsync(RunQuery query, CancellationToken cancellationToken = default);
}
