namespace GitOps.ArmSimulator.Routing;

/// <summary>What an ARM request path addresses.</summary>
internal enum ArmPathKind
{
    Unknown,
    SubscriptionList,
    Subscription,
    ProviderList,
    Provider,
    ResourceGroupList,
    ResourceGroup,
    ResourceGroupResources,
    OperationStatus,
    OperationResult,
    Resource,
    ResourceCollection,
}

/// <summary>Classifies a request path. ARM treats the fixed segments case-insensitively, so this does too.</summary>
internal sealed class ArmPath
{
    public const string OperationStatusesSegment = "operationStatuses";
    public const string OperationResultsSegment = "operationResults";

    private ArmPath(ArmPathKind kind, IReadOnlyList<string> segments)
    {
        Kind = kind;
        Segments = segments;
    }

    public ArmPathKind Kind { get; }

    public IReadOnlyList<string> Segments { get; }

    public string? SubscriptionId => Segments.Count > 1 && Is(Segments[0], "subscriptions") ? Segments[1] : null;

    /// <summary>The resource group name for resource-group paths.</summary>
    public string? ResourceGroupName => Segments.Count > 3 && Is(Segments[2], "resourcegroups") ? Segments[3] : null;

    /// <summary>The provider namespace for <see cref="ArmPathKind.Provider"/>, or the operation id for operation paths.</summary>
    public string? LastSegment => Segments.Count > 0 ? Segments[^1] : null;

    /// <summary>The parsed resource id for <see cref="ArmPathKind.Resource"/>.</summary>
    public ArmResourceId? Resource { get; private init; }

    /// <summary>For <see cref="ArmPathKind.ResourceCollection"/>: the id of the parent or scope, and the full type listed.</summary>
    public (string ParentKey, string FullType)? Collection { get; private init; }

    public static ArmPath Parse(string path)
    {
        var segments = Split(path);
        var providers = LastProvidersIndex(segments);
        if (providers >= 0)
        {
            var after = segments.Count - providers - 1;
            if (providers == 2 && Is(segments[0], "subscriptions") && after <= 1)
            {
                return new ArmPath(after == 0 ? ArmPathKind.ProviderList : ArmPathKind.Provider, segments);
            }

            if (after >= 3 && after % 2 == 1)
            {
                return new ArmPath(ArmPathKind.Resource, segments) { Resource = ArmResourceId.FromSegments(segments, providers) };
            }

            if (after >= 2 && after % 2 == 0)
            {
                var canonical = Canonicalize(segments);
                var parent = "/" + string.Join('/', canonical.Take(segments.Count - 1));
                // A nested collection (vnet/subnets) hangs off the parent resource; a top-level one off the scope.
                // A tenant-level collection (/providers/Microsoft.Management/managementGroups) has the empty scope.
                var parentKey = after == 2 ? (providers == 0 ? string.Empty : "/" + string.Join('/', canonical.Take(providers))) : parent;
                var typeSegments = canonical.Skip(providers + 2).Where((_, i) => i % 2 == 0);
                var fullType = canonical[providers + 1] + "/" + string.Join('/', typeSegments);
                return new ArmPath(ArmPathKind.ResourceCollection, segments)
                {
                    Collection = (parentKey.ToLowerInvariant(), fullType),
                };
            }

            return new ArmPath(ArmPathKind.Unknown, segments);
        }

        var kind = segments.Count switch
        {
            1 when Is(segments[0], "subscriptions") => ArmPathKind.SubscriptionList,
            2 when Is(segments[0], "subscriptions") => ArmPathKind.Subscription,
            3 when Is(segments[0], "subscriptions") && Is(segments[2], "resourcegroups") => ArmPathKind.ResourceGroupList,
            4 when Is(segments[0], "subscriptions") && Is(segments[2], "resourcegroups") => ArmPathKind.ResourceGroup,
            4 when Is(segments[0], "subscriptions") && Is(segments[2], OperationStatusesSegment) => ArmPathKind.OperationStatus,
            4 when Is(segments[0], "subscriptions") && Is(segments[2], OperationResultsSegment) => ArmPathKind.OperationResult,
            5 when Is(segments[0], "subscriptions") && Is(segments[2], "resourcegroups") && Is(segments[4], "resources") => ArmPathKind.ResourceGroupResources,
            _ => ArmPathKind.Unknown,
        };
        return new ArmPath(kind, segments);
    }

    public static List<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();

    public static int LastProvidersIndex(IReadOnlyList<string> segments)
    {
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            if (Is(segments[i], "providers"))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>ARM's casing of the fixed segments (<c>subscriptions</c>, <c>resourceGroups</c>, <c>providers</c>); names keep the caller's casing.</summary>
    public static List<string> Canonicalize(IReadOnlyList<string> segments)
    {
        var result = new List<string>(segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (i == 0 && Is(segment, "subscriptions"))
            {
                segment = "subscriptions";
            }
            else if (i == 2 && Is(segments[0], "subscriptions") && Is(segment, "resourcegroups"))
            {
                segment = "resourceGroups";
            }
            else if (Is(segment, "providers") && (i == 0 || i == 2 || (i >= 4 && (segments.Count - i - 1) >= 1)))
            {
                segment = "providers";
            }

            result.Add(segment);
        }

        return result;
    }

    public static string ResourceGroupId(string subscriptionId, string name) => $"/subscriptions/{subscriptionId}/resourceGroups/{name}";

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);
}
