using System.Text.Json.Nodes;

namespace GitOps.Core.Manifests;

/// <summary>
/// One ARM resource as declared in git, after variables and references were expanded.
/// </summary>
/// <remarks>
/// <see cref="Body"/> is exactly what goes into the PUT request: the ARM top-level fields
/// (<c>location sku kind tags identity zones plan extendedLocation managedBy properties</c>).
/// Our own fields (<c>type name resourceGroup subscriptionId scope dependsOn reconcile</c>) are
/// lifted out into the other members and never sent to Azure.
/// </remarks>
public sealed record DeclaredResource
{
    /// <summary>The full ARM resource id, with the casing the user declared.</summary>
    public required string Id { get; init; }

    /// <summary>The resource type without the api-version, e.g. <c>Microsoft.Network/virtualNetworks/subnets</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The declared api-version; it is what goes on the wire.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The ARM name; child resources use nested names such as <c>vnet-app/default</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The subscription the resource lives in (explicit or the environment's default); null for tenant-level resources.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The resource group; null for subscription-level types and for extension resources with a scope.</summary>
    public string? ResourceGroup { get; init; }

    /// <summary>For extension resources (role assignments, locks, diagnostic settings): the id of the resource they sit on.</summary>
    public string? Scope { get; init; }

    /// <summary>The request body: ARM top-level fields only.</summary>
    public required JsonObject Body { get; init; }

    /// <summary>Ids of resources this one depends on: explicit <c>dependsOn</c> plus every reference in the body.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The <c>reconcile</c> block.</summary>
    public ReconcileSettings Reconcile { get; init; } = ReconcileSettings.Default;

    /// <summary>
    /// The Key Vault references in <see cref="Body"/>: each field holds a placeholder, replaced by the secret's value only
    /// in the request sent to ARM.
    /// </summary>
    public IReadOnlyList<SecretReference> SecretReferences { get; init; } = [];

    /// <summary>
    /// The catalogue's entry for <see cref="Type"/>@<see cref="ApiVersion"/>; null when the loader had no catalogue, the
    /// catalogue lacks the type, or <c>reconcile.schema</c> is off. The planner reads its flags (read-only, write-only, enums).
    /// </summary>
    public Schemas.ResourceTypeSchema? Schema { get; init; }

    /// <summary>Where the document starts.</summary>
    public SourceLocation Location { get; init; }

    /// <summary>
    /// Where each field is written, by JSON pointer: body fields as in <see cref="Body"/> (<c>/properties/minimumTlsVersion</c>,
    /// <c>/tags/owner</c>, <c>/zones/0</c>) and our own fields (<c>/name</c>, <c>/dependsOn/0</c>, <c>/reconcile/policy</c>).
    /// A map entry points at its key, a list item at the item. Lets later checks (policy) name the exact line.
    /// </summary>
    public IReadOnlyDictionary<string, SourceLocation> FieldLocations { get; init; } = EmptyLocations;

    private static readonly IReadOnlyDictionary<string, SourceLocation> EmptyLocations =
        new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
}
