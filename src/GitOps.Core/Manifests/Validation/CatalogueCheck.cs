using GitOps.Core.Manifests.Resources;
using GitOps.Core.Ports;
using GitOps.Core.Schemas;

namespace GitOps.Core.Manifests.Validation;

/// <summary>
/// Looks a declared <c>type@api-version</c> up in the catalogue and reports it when the catalogue does not know it
/// (GO1016), naming the known api-versions of the type, newest stable first, or the closest type name.
/// </summary>
/// <remarks>
/// An error, where Bicep's BCP081 is a warning: the declared api-version is sent on the wire, and ARM answers an
/// unknown one with a 400 only after the change is merged. The catalogue lags new versions, so the hint names the
/// per-resource escape hatch. One check serves one environment load; its caches are not shared between threads.
/// </remarks>
internal sealed class CatalogueCheck(IResourceTypeCatalog types)
{
    private readonly Dictionary<string, string?> _typeSuggestions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalogue entry, or null after reporting GO1016 at <paramref name="at"/>.</summary>
    public ResourceTypeSchema? Find(ResourceTypeName name, SourceLocation at, List<Diagnostic> diagnostics)
    {
        if (types.Find(name.Type, name.ApiVersion) is { } schema)
        {
            return schema;
        }

        const string Hint = "If the type or version is new or in preview and the catalogue lags it, set reconcile: { schema: off } on this resource.";
        var versions = types.ApiVersions(name.Type);
        if (versions.Count > 0)
        {
            var known = ApiVersionOrder.Closest(versions, name.ApiVersion);
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UnknownResourceType, at,
                $"{name.Type} has no api-version {name.ApiVersion} in the resource type catalogue ({types.Source}); closest known versions, newest stable first: {string.Join(", ", known)}{(versions.Count > known.Count ? $" (and {versions.Count - known.Count} more)" : string.Empty)}.",
                $"Use one of them, e.g. type: {name.Type}@{known[0]}. " + Hint));
            return null;
        }

        if (!_typeSuggestions.TryGetValue(name.Type, out var suggestion))
        {
            // Only types of the same namespace are likely typos; comparing with all 3,000 types is also slower.
            var slash = name.Type.IndexOf('/', StringComparison.Ordinal);
            var prefix = slash < 0 ? name.Type : name.Type[..(slash + 1)];
            suggestion = Suggestions.Closest(name.Type, types.Types.Where(t => t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)));
            _typeSuggestions[name.Type] = suggestion;
        }

        diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.UnknownResourceType, at,
            $"The resource type catalogue ({types.Source}) has no type {name.Type}{(suggestion is null ? "." : $"; did you mean '{suggestion}'?")}",
            suggestion is null ? "Check the namespace and type against the REST API reference. " + Hint : $"Rename it to {suggestion}. " + Hint));
        return null;
    }

    /// <summary>
    /// False, after a warning, when the catalogue describes the type as one nothing can PUT (no writable scope): its
    /// body is then all read-only in the catalogue, which says more about the spec than about the manifest, so the body
    /// is not checked and the plan does not use the entry. Otherwise reports (as a finding) a placement the catalogue
    /// does not list: a tenant-only type in a subscription, a subscription-level type in a resource group.
    /// </summary>
    public static bool IsWritable(ResourceTypeSchema schema, ResourceDraft draft, SourceLocation at, bool strict, List<Diagnostic> diagnostics)
    {
        var severity = strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
        if (schema.WritableScopes == ResourceScopes.None)
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.SchemaReadOnlyProperty, at,
                $"The resource type catalogue describes {schema.Key} as read-only (ARM offers no PUT for it); its body is not checked.",
                "Check the type and api-version; if the service does accept a PUT, set reconcile: { schema: off } to silence this."));
            return false;
        }

        var placement = ResourcePlacement.Of(draft.Scope, draft.ResourceGroup, draft.TypeName is { IsResourceGroup: true });
        if (!ResourcePlacement.Fits(schema.WritableScopes, placement, draft.Scope is not null))
        {
            var where = placement switch
            {
                ResourceScopes.Tenant => "at the tenant root (scope: /)",
                ResourceScopes.ManagementGroup => "on a management group",
                ResourceScopes.Extension => "on another resource (scope)",
                ResourceScopes.ResourceGroup => "in a resource group",
                _ => "at subscription level",
            };
            diagnostics.Add(new Diagnostic(
                DiagnosticCodes.SchemaTypeMismatch, severity, at,
                $"{schema.Key} is declared {where}, but the resource type catalogue deploys it only at: {Describe(schema.WritableScopes)}.",
                Move(schema.WritableScopes)));
        }

        return true;
    }

    private static string Move(ResourceScopes writable)
    {
        var ways = new List<string>();
        if ((writable & ResourceScopes.Tenant) != 0)
        {
            ways.Add("scope: / for the tenant root");
        }

        if ((writable & ResourceScopes.ManagementGroup) != 0)
        {
            ways.Add("scope: /providers/Microsoft.Management/managementGroups/<name> for a management group");
        }

        if ((writable & ResourceScopes.Subscription) != 0)
        {
            ways.Add("no resourceGroup for the subscription");
        }

        if ((writable & ResourceScopes.ResourceGroup) != 0)
        {
            ways.Add("resourceGroup: <name>");
        }

        if ((writable & ResourceScopes.Extension) != 0)
        {
            ways.Add("scope: <resource> for an extension resource");
        }

        var hint = $"Move it: {string.Join("; ", ways)}.";
        return (writable & (ResourceScopes.Tenant | ResourceScopes.ManagementGroup)) != 0
            ? hint + " Tenant and management-group placements must be allowed in gitops.yaml (tenantLevel, managementGroups; GO1015)."
            : hint;
    }

    private static string Describe(ResourceScopes scopes) =>
        string.Join(", ", new[]
        {
            (ResourceScopes.Tenant, "tenant"), (ResourceScopes.ManagementGroup, "management group"), (ResourceScopes.Subscription, "subscription"),
            (ResourceScopes.ResourceGroup, "resource group"), (ResourceScopes.Extension, "extension (scope)"),
        }.Where(p => (scopes & p.Item1) != 0).Select(p => p.Item2));
}
