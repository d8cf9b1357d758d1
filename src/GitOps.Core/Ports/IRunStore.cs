using GitOps.Core.Runs;

namespace GitOps.Core.Ports;

/// <summary>Run records (<c>runs/&lt;env&gt;/&lt;inverted-time&gt;-&lt;run-id&gt;.json</c> in blob storage).</summary>
public interface IRunStore
{
    /// <summary>Writes a run record; writing the same run id again replaces it.</summary>
    Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Runs newest first, for one environment key or all.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(string? environmentKey, int max, CancellationToken cancellationToken = default);

    /// <summary>A run by id, or null.</summary>
    Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the full plan of a run beside its record (written before the record that links it); returns where, for
    /// <see cref="RunRecord.FullPlan"/>, or null when this store keeps none.
    /// </summary>
    Task<string?> SaveDetailAsync(RunDetail detail, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    /// <summary>The full plan of a run, or null when the run has none (it changed nothing) or the store keeps none.</summary>
    Task<RunDetail?> GetDetailAsync(string runId, CancellationToken cancellationToken = default) => Task.FromResult<RunDetail?>(null);
}
