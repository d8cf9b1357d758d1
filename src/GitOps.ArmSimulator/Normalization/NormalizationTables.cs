namespace GitOps.ArmSimulator.Normalization;

/// <summary>
/// The per-type quirks the simulator reproduces (docs/arm-protocol.md §7). Keys are full resource types, compared
/// case-insensitively; a key ending in <c>/*</c> matches every type of that namespace. docs/arm-simulator.md lists them.
/// </summary>
internal static class NormalizationTables
{
    /// <summary>How <c>location</c> comes back. Types not listed come back <see cref="ArmLocationStyle.Lowercase"/>.</summary>
    public static readonly IReadOnlyDictionary<string, ArmLocationStyle> LocationStyles =
        new Dictionary<string, ArmLocationStyle>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.Resources/resourceGroups"] = ArmLocationStyle.Preserve,
            ["Microsoft.Web/*"] = ArmLocationStyle.DisplayName,
            ["Microsoft.Insights/*"] = ArmLocationStyle.DisplayName,
            ["Microsoft.App/*"] = ArmLocationStyle.DisplayName,
        };

    /// <summary>Types whose <c>type</c> (and id segment) come back in the provider's casing, not the caller's.</summary>
    public static readonly IReadOnlyDictionary<string, string> ReturnedTypeNames =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.Cache/redis"] = "Microsoft.Cache/Redis",
            ["Microsoft.ServiceBus/namespaces"] = "Microsoft.ServiceBus/Namespaces",
            ["Microsoft.ContainerService/managedClusters"] = "Microsoft.ContainerService/ManagedClusters",
        };

    /// <summary>Types whose returned id has <c>resourcegroups</c> and the namespace in lower case.</summary>
    public static readonly IReadOnlySet<string> LowercaseIdTypes =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Microsoft.OperationalInsights/workspaces",
            "Microsoft.Insights/actionGroups",
        };

    /// <summary>Types that carry an <c>etag</c> in the body and the <c>ETag</c> header.</summary>
    public static readonly IReadOnlySet<string> ETagTypes =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Microsoft.Network/*",
        };

    /// <summary>Property names never echoed by any type, at any depth (secrets: write-only).</summary>
    public static readonly IReadOnlySet<string> WriteOnlyPropertyNames =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "password", "adminPassword", "administratorLoginPassword", "secret", "clientSecret", "sharedKey", "customData",
        };

    /// <summary>Write-only paths of particular types (dotted paths from the body root).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> WriteOnlyPaths =
        new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.KeyVault/vaults/secrets"] = ["properties.value"],
            ["Microsoft.Web/certificates"] = ["properties.pfxBlob"],
            ["Microsoft.Resources/deployments"] = ["properties.parameters"],
        };

    /// <summary>Looks <paramref name="type"/> up exactly, then as <c>Namespace/*</c>.</summary>
    public static bool TryMatch<T>(IReadOnlyDictionary<string, T> table, string type, out T value)
    {
        if (table.TryGetValue(type, out value!))
        {
            return true;
        }

        var slash = type.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && table.TryGetValue(type[..slash] + "/*", out value!);
    }

    public static bool Contains(IReadOnlySet<string> table, string type)
    {
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        return table.Contains(type) || (slash > 0 && table.Contains(type[..slash] + "/*"));
    }
}
