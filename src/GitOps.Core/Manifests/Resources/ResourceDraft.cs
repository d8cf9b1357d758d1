using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// A resource document between reading and building: the identity fields are expanded and checked; the body,
/// <c>dependsOn</c> and <c>scope</c> wait until every resource's identity is known so references can resolve.
/// </summary>
internal sealed class ResourceDraft(YamlDocument document)
{
    /// <summary>The document it came from.</summary>
    public YamlDocument Document { get; } = document;

    /// <summary>Where the document starts.</summary>
    public SourceLocation Location => Document.Location;

    /// <summary>The parsed type, or null when missing or malformed.</summary>
    public ResourceTypeName? TypeName { get; set; }

    /// <summary>The expanded name, or null when missing or invalid.</summary>
    public string? Name { get; set; }

    /// <summary>The declared subscription, or the environment's; for scoped resources, taken from the scope.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>Where the resource names its own subscription (its <c>subscriptionId</c> value), or null when it takes the environment's.</summary>
    public SourceLocation? SubscriptionLocation { get; set; }

    /// <summary>The declared resource group.</summary>
    public string? ResourceGroup { get; set; }

    /// <summary>The <c>scope</c> value, resolved in the identity phase.</summary>
    public YamlScalar? ScopeNode { get; set; }

    /// <summary>The resolved scope id (<see cref="ResourceIds.TenantScope"/> for the tenant root).</summary>
    public string? Scope { get; set; }

    /// <summary>
    /// Where the tenant root was chosen for a resource that names no placement, because the catalogue deploys its type
    /// only there (its <c>type</c>); null otherwise.
    /// </summary>
    public SourceLocation? InferredScopeLocation { get; set; }

    /// <summary>The <c>dependsOn</c> items, resolved in the build phase.</summary>
    public List<YamlScalar> DependsOnNodes { get; } = [];

    /// <summary>The <c>reconcile</c> block.</summary>
    public ReconcileSettings Reconcile { get; set; } = ReconcileSettings.Default;

    /// <summary>The ARM top-level fields, in document order.</summary>
    public List<KeyValuePair<YamlScalar, YamlNode>> BodyFields { get; } = [];

    /// <summary>Where our own fields are written (JSON pointer to location).</summary>
    public Dictionary<string, SourceLocation> FieldLocations { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids this resource depends on, found while resolving (scope, implicit parents).</summary>
    public HashSet<string> Dependencies { get; } = new(ResourceIds.Comparer);

    /// <summary>False when the identity fields had errors: the resource gets no id and is not built.</summary>
    public bool IdentityValid { get; set; } = true;

    /// <summary>The full id, once resolved.</summary>
    public string? Id { get; set; }

    /// <summary>Where id resolution stands (to detect scope cycles).</summary>
    public ResolutionState State { get; set; }

    /// <summary>The provider path (<c>Namespace/type/name...</c>) used to find it by reference.</summary>
    public string? ProviderPath => TypeName is not null && Name is not null ? Resources.ProviderPath.Format(TypeName.Type, Name) : null;

    /// <summary>The group a reference prefers when several resources share type and name.</summary>
    public string? GroupKey =>
        TypeName is { IsResourceGroup: true } ? $"{SubscriptionId}/{Name}" : $"{SubscriptionId}/{ResourceGroup}";
}

/// <summary>Id resolution progress of a draft.</summary>
internal enum ResolutionState
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Being resolved (seeing it again means a scope cycle).</summary>
    Visiting,

    /// <summary>Resolved (the id may still be null after an error).</summary>
    Done,
}
