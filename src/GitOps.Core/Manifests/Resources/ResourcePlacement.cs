using GitOps.Core.Schemas;

namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// Where a declaration places a resource, in the catalogue's terms, so the placement can be compared with the scopes
/// the catalogue deploys the type at.
/// </summary>
internal static class ResourcePlacement
{
    /// <summary>
    /// The placement of a resource with the given <c>scope</c> (resolved) and <c>resourceGroup</c>: a scope that is the
    /// tenant root, a management group, a subscription or a resource group places the resource there; any other scope
    /// makes it an extension resource on what the scope names.
    /// </summary>
    public static ResourceScopes Of(string? scope, string? resourceGroup, bool isResourceGroup)
    {
        if (scope is null)
        {
            return resourceGroup is not null && !isResourceGroup ? ResourceScopes.ResourceGroup : ResourceScopes.Subscription;
        }

        if (scope == ResourceIds.TenantScope)
        {
            return ResourceScopes.Tenant;
        }

        var segments = scope.Trim('/').Split('/');
        return segments switch
        {
            ["providers", var ns, var type, _] when Is(ns + "/" + type, ResourceIds.ManagementGroupType) => ResourceScopes.ManagementGroup,
            ["subscriptions", _] => ResourceScopes.Subscription,
            ["subscriptions", _, var groups, _] when Is(groups, "resourceGroups") => ResourceScopes.ResourceGroup,
            _ => ResourceScopes.Extension,
        };
    }

    /// <summary>
    /// True when the catalogue's <paramref name="writable"/> scopes admit <paramref name="placement"/>. A type the
    /// catalogue deploys as an extension may sit on anything a scope names, so a scoped placement always fits it.
    /// </summary>
    public static bool Fits(ResourceScopes writable, ResourceScopes placement, bool scoped) =>
        (writable & placement) != 0 || (scoped && (writable & ResourceScopes.Extension) != 0);

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
