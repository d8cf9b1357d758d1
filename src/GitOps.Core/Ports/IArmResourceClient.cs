using System.Text.Json.Nodes;

namespace GitOps.Core.Ports;

/// <summary>
/// The engine's view of Azure Resource Manager: generic, keyed by resource id and api-version, no per-type logic.
/// Implementations send the given api-version on the wire, follow ARM's asynchronous-operation protocol to a
/// terminal state, honour throttling, and throw <see cref="ArmRequestException"/> on failure.
/// </summary>
public interface IArmResourceClient
{
    /// <summary>GETs a resource. Returns null when ARM answers 404.</summary>
    Task<ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default);

    /// <summary>PUTs a resource and waits for the operation to reach a terminal state. This must be idempotent.</summary>
    Task<ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, JsonObject body, CancellationToken cancellationToken = default);

    /// <summary>DELETEs a resource and waits for it to be gone. Deleting a missing resource succeeds.</summary>
    Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default);
}

/// <summary>A resource as ARM returned it.</summary>
/// <param name="Id">The id ARM reported (or the requested id when the body has none).</param>
/// <param name="Body">The response body.</param>
/// <param name="CorrelationId">The <c>x-ms-correlation-request-id</c> of the final response, for support cases.</param>
public sealed record ArmResource(string Id, JsonObject Body, string? CorrelationId = null);
