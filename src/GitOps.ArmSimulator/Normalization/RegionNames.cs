namespace GitOps.ArmSimulator.Normalization;

/// <summary>Azure region names in both spellings ARM uses: <c>westeurope</c> and <c>West Europe</c>.</summary>
internal static class RegionNames
{
    private static readonly string[] DisplayNames =
    [
        "East US", "East US 2", "Central US", "North Central US", "South Central US", "West Central US", "West US", "West US 2",
        "West US 3", "Canada Central", "Canada East", "Brazil South", "North Europe", "West Europe", "UK South", "UK West",
        "France Central", "Germany West Central", "Switzerland North", "Norway East", "Sweden Central", "Poland Central",
        "Italy North", "Spain Central", "East Asia", "Southeast Asia", "Japan East", "Japan West", "Korea Central",
        "Australia East", "Australia Southeast", "Central India", "South India", "UAE North", "South Africa North", "Global",
    ];

    private static readonly Dictionary<string, string> DisplayByCompact =
        DisplayNames.ToDictionary(Compact, name => name == "Global" ? "global" : name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The locations the provider listing reports for every type.</summary>
    public static IReadOnlyList<string> ListedLocations { get; } = DisplayNames.Where(name => name != "Global").ToArray();

    /// <summary><c>West Europe</c> to <c>westeurope</c>: lower case, no spaces.</summary>
    public static string Compact(string location) => location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    /// <summary><c>westeurope</c> to <c>West Europe</c>; unknown names are returned unchanged.</summary>
    public static string Display(string location) =>
        DisplayByCompact.TryGetValue(Compact(location), out var display) ? display : location;

    public static string Apply(ArmLocationStyle style, string location) => style switch
    {
        ArmLocationStyle.Lowercase => Compact(location),
        ArmLocationStyle.DisplayName => Display(location),
        _ => location,
    };
}
