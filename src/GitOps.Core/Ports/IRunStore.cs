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
}
