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

    /// <summary>
    /// Lists one page of a collection: the ids of the resources of one type under one parent, e.g.
    /// <c>/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Storage/storageAccounts</c> or
    /// <c>/subscriptions/{s}/resourceGroups</c>. The engine uses lists to learn which declared resources exist without a
    /// GET each (docs/architecture.md, "Existence from lists"); a client that cannot list keeps this default, and the
    /// engine GETs instead.
    /// </summary>
    /// <param name="collectionId">The collection's path (a resource id without its last name).</param>
    /// <param name="apiVersion">The api-version of the listed type.</param>
    /// <param name="nextLink">The previous page's <see cref="ArmListPage.NextLink"/>; null for the first page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="NotSupportedException">The client cannot list.</exception>
    /// <exception cref="ArmRequestException">ARM refused the list (other than for a missing parent), or the retries ran out.</exception>
    Task<ArmListPage> ListAsync(string collectionId, string apiVersion, string? nextLink, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot list collections.");
}

/// <summary>One page of a collection.</summary>
/// <param name="Ids">The ids of the resources on the page, as ARM reported them.</param>
/// <param name="NextLink">Where the next page is; null on the last page.</param>
/// <param name="ParentMissing">
/// ARM answered that what the collection hangs off (its resource group, parent resource or scope) does not exist, so
/// the collection is empty and so is everything below its members.
/// </param>
public sealed record ArmListPage(IReadOnlyList<string> Ids, string? NextLink, bool ParentMissing = false);

/// <summary>A resource as ARM returned it.</summary>
/// <param name="Id">The id ARM reported (or the requested id when the body has none).</param>
/// <param name="Body">The response body.</param>
/// <param name="CorrelationId">The <c>x-ms-correlation-request-id</c> of the final response, for support cases.</param>
public sealed record ArmResource(string Id, JsonObject Body, string? CorrelationId = null);
