namespace GitOps.ArmSimulator.Routing;

/// <summary>
/// A parsed generic resource id: <c>{scope}/providers/{namespace}/{type}/{name}[/{childType}/{childName}...]</c>, where
/// the scope is the tenant, a subscription, a resource group or another resource (extension resources).
/// </summary>
internal sealed class ArmResourceId
{
    private ArmResourceId(string id, string scope, string? subscriptionId, string? resourceGroup, string providerNamespace,
        IReadOnlyList<string> typeSegments, IReadOnlyList<string> nameSegments)
    {
        Id = id;
        Scope = scope;
        SubscriptionId = subscriptionId;
        ResourceGroup = resourceGroup;
        Namespace = providerNamespace;
        TypeSegments = typeSegments;
        NameSegments = nameSegments;
    }

    /// <summary>The id with ARM's canonical casing of the fixed segments and the caller's casing of names.</summary>
    public string Id { get; }

    /// <summary>Everything before the last <c>/providers/</c>; empty for tenant-level resources.</summary>
    public string Scope { get; }

    public string? SubscriptionId { get; }

    public string? ResourceGroup { get; }

    public string Namespace { get; }

    public IReadOnlyList<string> TypeSegments { get; }

    public IReadOnlyList<string> NameSegments { get; }

    public string Name => NameSegments[^1];

    /// <summary>The full type, e.g. <c>Microsoft.Network/virtualNetworks/subnets</c>.</summary>
    public string FullType => Namespace + "/" + string.Join('/', TypeSegments);

    /// <summary>The type below the namespace, as the provider listing names it (<c>virtualNetworks/subnets</c>).</summary>
    public string RelativeType => string.Join('/', TypeSegments);

    public string Key => Id.ToLowerInvariant();

    public bool IsChild => NameSegments.Count > 1;

    /// <summary>The parent resource of a child resource, or <see langword="null"/>.</summary>
    public string? ParentId => IsChild ? Id[..Id.LastIndexOf('/', Id.LastIndexOf('/') - 1)] : null;

    /// <summary>Whether the scope is itself a resource, which makes this an extension resource.</summary>
    public bool ScopeIsResource => Scope.Contains("/providers/", StringComparison.OrdinalIgnoreCase);

    public bool ScopeIsResourceGroup => ResourceGroup is not null && !ScopeIsResource;

    /// <summary>The resource group id this resource lives in, if any.</summary>
    public string? ResourceGroupId => ResourceGroup is null ? null : $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}";

    /// <summary>Parses segments whose last <c>providers</c> is at <paramref name="providersIndex"/> and is followed by an odd count of at least 3.</summary>
    public static ArmResourceId FromSegments(IReadOnlyList<string> segments, int providersIndex)
    {
        var canonical = ArmPath.Canonicalize(segments);
        var scope = providersIndex == 0 ? string.Empty : "/" + string.Join('/', canonical.Take(providersIndex));
        var providerNamespace = canonical[providersIndex + 1];
        var types = new List<string>();
        var names = new List<string>();
        for (var i = providersIndex + 2; i + 1 < canonical.Count; i += 2)
        {
            types.Add(canonical[i]);
            names.Add(canonical[i + 1]);
        }

        string? subscription = canonical.Count > 1 && canonical[0] == "subscriptions" ? canonical[1] : null;
        string? resourceGroup = subscription is not null && canonical.Count > 3 && canonical[2] == "resourceGroups" && providersIndex > 3
            ? canonical[3]
            : null;
        return new ArmResourceId("/" + string.Join('/', canonical), scope, subscription, resourceGroup, providerNamespace, types, names);
    }

    /// <summary>Parses a full resource id (as in a seed file or a control-API call); <see langword="null"/> when it is not a resource id.</summary>
    public static ArmResourceId? TryParse(string id)
    {
        var segments = ArmPath.Split(id);
        var providers = ArmPath.LastProvidersIndex(segments);
        if (providers < 0)
        {
            return null;
        }

        var after = segments.Count - providers - 1;
        return after >= 3 && after % 2 == 1 ? FromSegments(segments, providers) : null;
    }
}
