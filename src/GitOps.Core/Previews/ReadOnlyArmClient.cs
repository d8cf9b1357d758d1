using System.Text.Json.Nodes;
using GitOps.Core.Ports;

namespace GitOps.Core.Previews;

/// <summary>
/// The only ARM client a preview holds: reads pass through, and a write (which no preview step makes) throws before any
/// request, so no path from a pull request reaches a PUT or DELETE even through a future mistake.
/// </summary>
public sealed class ReadOnlyArmClient(IArmResourceClient inner) : IArmResourceClient
{
    private readonly IArmResourceClient _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc />
    public Task<ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
        _inner.GetAsync(resourceId, apiVersion, cancellationToken);

    /// <inheritdoc />
    public Task<ArmListPage> ListAsync(string collectionId, string apiVersion, string? nextLink, CancellationToken cancellationToken = default) =>
        _inner.ListAsync(collectionId, apiVersion, nextLink, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Always: a preview never writes.</exception>
    public Task<ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, JsonObject body, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"A preview never writes to ARM (refused a PUT of {resourceId}).");

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Always: a preview never writes.</exception>
    public Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"A preview never writes to ARM (refused a DELETE of {resourceId}).");
}
