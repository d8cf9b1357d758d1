using GitOps.Core.Apply;

namespace GitOps.Core.Runs;

/// <summary>
/// The full plan of a run that changed something, kept beside its record (<see cref="RunRecord.FullPlan"/>) and read on
/// demand (<c>gitops runs show RUN-ID --full</c>, <c>GET /api/runs/{runId}/plan</c>): every planned change, no-ops
/// included, every per-resource result and every health verdict. The record itself lists only what changed, counted.
/// </summary>
public sealed record RunDetail
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The configured repository name.</summary>
    public required string Repository { get; init; }

    /// <summary>The environment name.</summary>
    public required string Environment { get; init; }

    /// <summary><c>repository/environment</c>.</summary>
    public string EnvironmentKey => EnvironmentKeys.Of(Repository, Environment);

    /// <summary>The whole plan (the contract of <see cref="Planning.PlanJson"/>).</summary>
    public RecordedPlan? Plan { get; init; }

    /// <summary>Every per-resource result, in plan order.</summary>
    public IReadOnlyList<ResourceResult> Results { get; init; } = [];

    /// <summary>Every health verdict.</summary>
    public IReadOnlyList<ResourceHealth> Health { get; init; } = [];
}
