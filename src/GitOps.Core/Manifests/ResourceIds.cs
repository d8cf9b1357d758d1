namespace GitOps.Core.Manifests;

/// <summary>
/// Builds and compares ARM resource ids. ARM treats ids case-insensitively (it may echo
/// <c>resourcegroups</c> or a lower-cased provider namespace), so every comparison goes through <see cref="Comparer"/>.
/// </summary>
public static class ResourceIds
{
    /// <summary>The type of resource groups, which live outside <c>/providers/</c>.</summary>
    public const string ResourceGroupType = "Microsoft.Resources/resourceGroups";

    /// <summary>The type of management groups, which live at the tenant root.</summary>
    public const string ManagementGroupType = "Microsoft.Management/managementGroups";

    /// <summary>The scope of tenant-level resources (<c>scope: /</c>): their ids start at <c>/providers/</c>.</summary>
    public const string TenantScope = "/";

    /// <summary>How ids, types and tag keys are compared everywhere.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>True when two ids name the same resource.</summary>
    public static bool AreSame(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Builds the id of a resource from its parts.
    /// </summary>
    /// <param name="type">Full type without api-version: <c>Microsoft.Network/virtualNetworks/subnets</c>.</param>
    /// <param name="name">ARM name; one segment per type segment after the namespace (<c>vnet/default</c>).</param>
    /// <param name="subscriptionId">Subscription, or null for tenant-level resources with a scope.</param>
    /// <param name="resourceGroup">Resource group, or null for subscription-level resources.</param>
    /// <param name="scope">
    /// The id an extension resource sits on, a management group's id, or <see cref="TenantScope"/> for the tenant root
    /// (wins over subscription and group).
    /// </param>
    /// <exception cref="ArgumentException">The name has the wrong number of segments for the type.</exception>
    public static string Build(string type, string name, string? subscriptionId, string? resourceGroup, string? scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(name);

        if (string.Equals(type, ResourceGroupType, StringComparison.OrdinalIgnoreCase))
        {
            return $"/subscriptions/{subscriptionId}/resourceGroups/{name}";
        }

        var typeSegments = type.Split('/');
        var nameSegments = name.Split('/');
        if (typeSegments.Length < 2 || nameSegments.Length != typeSegments.Length - 1)
        {
            throw new ArgumentException(
                $"Name '{name}' has {nameSegments.Length} segment(s) but type '{type}' needs {typeSegments.Length - 1}.",
                nameof(name));
        }

        var prefix = scope is not null
            ? scope.TrimEnd('/')
            : resourceGroup is not null
                ? $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}"
                : subscriptionId is not null ? $"/subscriptions/{subscriptionId}" : string.Empty;

        var builder = new System.Text.StringBuilder(prefix.Length + type.Length + name.Length + 16);
        builder.Append(prefix).Append("/providers/").Append(typeSegments[0]);
        for (var i = 1; i < typeSegments.Length; i++)
        {
            builder.Append('/').Append(typeSegments[i]).Append('/').Append(nameSegments[i - 1]);
        }

        return builder.ToString();
    }

    /// <summary>The subscription an id lies in, or null for tenant and management-group ids.</summary>
    public static string? SubscriptionOf(string id)
    {
        const string Prefix = "/subscriptions/";
        if (!id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var end = id.IndexOf('/', Prefix.Length);
        return end < 0 ? id[Prefix.Length..] : id[Prefix.Length..end];
    }

    /// <summary>
    /// The management group an id lies in (the group itself, or anything placed on it), or null.
    /// </summary>
    public static string? ManagementGroupOf(string id)
    {
        const string Prefix = "/providers/" + ManagementGroupType + "/";
        if (!id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var end = id.IndexOf('/', Prefix.Length);
        var name = end < 0 ? id[Prefix.Length..] : id[Prefix.Length..end];
        return name.Length == 0 ? null : name;
    }

    /// <summary>
    /// True when a string looks like an ARM resource id (<c>/subscriptions/…</c> or <c>/providers/…</c>),
    /// the test used to compare ids inside property values case-insensitively.
    /// </summary>
    public static bool LooksLikeId(string value) =>
        value.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("/providers/", StringComparison.OrdinalIgnoreCase);
}
