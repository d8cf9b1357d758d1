using System.Text.RegularExpressions;

namespace GitOps.Core.Manifests.Validation;

/// <summary>
/// Resource name rules: the generic ones ARM applies to every name, plus a table for common types, so a name ARM would
/// refuse is caught at validation instead of halfway through an apply.
/// </summary>
/// <remarks>Rules from "Naming rules and restrictions for Azure resources" (learn.microsoft.com, azure-resource-manager/management/resource-name-rules).</remarks>
internal static partial class NameRules
{
    /// <summary>Longest generic name segment; type rules below are stricter where ARM is.</summary>
    public const int MaxSegmentLength = 260;

    private const string NetworkNameRule =
        "1-80 characters: letters, digits, '_', '.', '-'; start with a letter or digit; end with a letter, digit or '_'";

    private static readonly Dictionary<string, TypeNameRule> Rules = new(StringComparer.OrdinalIgnoreCase)
    {
        [ResourceIds.ResourceGroupType] = new(ResourceGroupPattern(), "1-90 characters: letters, digits, '_', '-', '.', '(' and ')', not ending with '.'", false),
        [ResourceIds.ManagementGroupType] = new(ResourceGroupPattern(), "1-90 characters: letters, digits, '_', '-', '.', '(' and ')', not ending with '.'", false),
        ["Microsoft.Storage/storageAccounts"] = new(StorageAccountPattern(), "3-24 characters: lowercase letters and digits only", true),
        ["Microsoft.KeyVault/vaults"] = new(KeyVaultPattern(), "3-24 characters: letters, digits and '-'; start with a letter; end with a letter or digit; no '--'", true),
        ["Microsoft.Network/virtualNetworks"] = new(NetworkPattern(), NetworkNameRule, true),
        ["Microsoft.Network/virtualNetworks/subnets"] = new(NetworkPattern(), NetworkNameRule, true),
        ["Microsoft.Network/networkSecurityGroups"] = new(NetworkPattern(), NetworkNameRule, true),
        ["Microsoft.Network/networkSecurityGroups/securityRules"] = new(NetworkPattern(), NetworkNameRule, true),
        ["Microsoft.Network/publicIPAddresses"] = new(NetworkPattern(), NetworkNameRule, true),
        ["Microsoft.Network/networkInterfaces"] = new(NetworkPattern(), NetworkNameRule, true),
        ["Microsoft.Network/routeTables"] = new(NetworkPattern(), NetworkNameRule, true),
        ["Microsoft.OperationalInsights/workspaces"] = new(WorkspacePattern(), "4-63 characters: letters, digits and '-'; start and end with a letter or digit", true),
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = new(IdentityPattern(), "3-128 characters: letters, digits, '-' and '_'; start with a letter or digit", true),
        ["Microsoft.Web/serverfarms"] = new(WebPattern(), "1-60 characters: letters, digits and '-'", true),
        ["Microsoft.Web/sites"] = new(SitePattern(), "2-60 characters: letters, digits and '-'; not starting or ending with '-'", true),
        ["Microsoft.ContainerRegistry/registries"] = new(RegistryPattern(), "5-50 characters: letters and digits only", true),
        ["Microsoft.Authorization/roleAssignments"] = new(GuidPattern(), "a GUID, e.g. 8f6c1f0e-3c1a-4f6b-9a5e-2d8f0c7b1a23", false),
    };

    /// <summary>True when the type must live in a resource group (or be placed with a scope).</summary>
    public static bool NeedsResourceGroup(string type) => Rules.TryGetValue(type, out var rule) && rule.NeedsResourceGroup;

    /// <summary>
    /// Checks one name segment; returns what is wrong, or null. <paramref name="type"/> selects the type rule, which is
    /// applied to the last segment of the name (the segment that names this resource).
    /// </summary>
    public static string? CheckSegment(string segment, string? type, bool isLast)
    {
        if (segment.Length == 0)
        {
            return "has an empty segment";
        }

        foreach (var c in segment)
        {
            if (char.IsControl(c))
            {
                return "contains a control character";
            }

            if (c is '<' or '>' or '%' or '&' or '\\' or '?' or '/')
            {
                return $"contains '{c}', which ARM does not allow in names";
            }
        }

        if (segment.EndsWith('.') || segment.EndsWith(' '))
        {
            return "ends with '.' or a space, which ARM does not allow";
        }

        if (segment.Length > MaxSegmentLength)
        {
            return $"is {segment.Length} characters long (at most {MaxSegmentLength})";
        }

        if (isLast && type is not null && Rules.TryGetValue(type, out var rule) && !rule.Pattern.IsMatch(segment))
        {
            return $"does not follow the rule for {type}: {rule.Description}";
        }

        return null;
    }

    /// <summary>Checks a resource group name (used for the <c>resourceGroup</c> field).</summary>
    public static string? CheckResourceGroup(string name) => CheckSegment(name, ResourceIds.ResourceGroupType, true);

    /// <summary>Checks a management group name (the last segment of its id); returns what is wrong, or null.</summary>
    public static string? CheckManagementGroup(string name) => CheckSegment(name, ResourceIds.ManagementGroupType, true);

    private sealed record TypeNameRule(Regex Pattern, string Description, bool NeedsResourceGroup);

    [GeneratedRegex(@"^[-\w\.\(\)]{1,90}$")]
    private static partial Regex ResourceGroupPattern();

    [GeneratedRegex(@"^[a-z0-9]{3,24}$")]
    private static partial Regex StorageAccountPattern();

    [GeneratedRegex(@"^(?=.{3,24}$)(?!.*--)[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$")]
    private static partial Regex KeyVaultPattern();

    [GeneratedRegex(@"^(?=.{1,80}$)[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$")]
    private static partial Regex NetworkPattern();

    [GeneratedRegex(@"^(?=.{4,63}$)[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$")]
    private static partial Regex WorkspacePattern();

    [GeneratedRegex(@"^(?=.{3,128}$)[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex IdentityPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9-]{1,60}$")]
    private static partial Regex WebPattern();

    [GeneratedRegex(@"^(?=.{2,60}$)[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$")]
    private static partial Regex SitePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9]{5,50}$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex GuidPattern();
}
