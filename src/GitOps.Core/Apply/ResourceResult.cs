using GitOps.Core.Planning;

namespace GitOps.Core.Apply;

/// <summary>
/// The result of one change that acts (create, update, delete, detach): what happened and, on failure, what ARM said.
/// </summary>
/// <param name="Id">The resource id.</param>
/// <param name="Action">The planned action.</param>
/// <param name="Outcome">Succeeded, failed or skipped.</param>
/// <param name="ErrorCode">The ARM error code on failure (e.g. <c>InvalidParameter</c>), or <c>DependencyFailed</c> when skipped.</param>
/// <param name="Message">The ARM error message, or why it was skipped.</param>
/// <param name="CorrelationId">ARM's <c>x-ms-correlation-request-id</c>, for support cases.</param>
/// <param name="Duration">How long the operation took, polling included.</param>
public sealed record ResourceResult(
    string Id,
    PlanAction Action,
    ResourceOutcome Outcome,
    string? ErrorCode = null,
    string? Message = null,
    string? CorrelationId = null,
    TimeSpan Duration = default)
{
    /// <summary>True when the failure can go away by retrying later (ARM 429/5xx/conflicts).</summary>
    public bool Transient { get; init; }

    /// <summary>
    /// For a transient failure, how long ARM asked to wait before the request is sent again (its <c>Retry-After</c>, or
    /// zero for a 429 without one); null when it did not ask. The run re-enqueues its job after the longest one.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For a write: whether the resource became healthy afterwards (see <see cref="HealthChecker"/>); null when not checked.</summary>
    public HealthStatus? Health { get; init; }

    /// <summary>Why it is (un)healthy, e.g. "/properties/state is Starting, expected Running after 30 reads".</summary>
    public string? HealthDetail { get; init; }
}
