namespace GitOps.Core.Schemas;

/// <summary>Where a resource type can be deployed, as the catalogue says (Bicep's <c>ScopeType</c>).</summary>
[Flags]
public enum ResourceScopes
{
    /// <summary>Unknown or none.</summary>
    None = 0,

    /// <summary>The tenant (<c>/</c>): management groups, tenant-level policy definitions.</summary>
    Tenant = 1,

    /// <summary>A management group.</summary>
    ManagementGroup = 2,

    /// <summary>A subscription.</summary>
    Subscription = 4,

    /// <summary>A resource group.</summary>
    ResourceGroup = 8,

    /// <summary>On another resource (role assignments, locks, diagnostic settings).</summary>
    Extension = 16,
}
