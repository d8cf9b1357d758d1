using GitOps.Core.Manifests.Expressions;
using GitOps.Core.Manifests.Validation;

namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// Gives every draft its id (resolving <c>scope</c>, which may name another declared resource) and resolves references
/// (<c>ref()</c>, <c>dependsOn</c>, <c>scope</c>) among the declared resources of the environment.
/// </summary>
internal sealed class ResourceResolver
{
    private readonly IReadOnlyList<ResourceDraft> _drafts;
    private readonly EnvironmentDefinition _environment;
    private readonly ExpressionExpander _expander;
    private readonly List<Diagnostic> _diagnostics;
    private readonly string? _incompleteNote;
    private readonly Dictionary<string, List<ResourceDraft>> _byPath = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, ResourceDraft>? _byId;

    /// <summary>Creates a resolver over the drafts of one environment.</summary>
    /// <param name="drafts">Every draft read.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="expander">Expands <c>scope</c>.</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <param name="unreadableFiles">Files that could not be read: a missing reference may be declared there.</param>
    public ResourceResolver(
        IReadOnlyList<ResourceDraft> drafts,
        EnvironmentDefinition environment,
        ExpressionExpander expander,
        List<Diagnostic> diagnostics,
        int unreadableFiles)
    {
        _drafts = drafts;
        _environment = environment;
        _expander = expander;
        _diagnostics = diagnostics;
        _incompleteNote = unreadableFiles > 0 ? $" ({unreadableFiles} file(s) could not be read; it may be declared there)" : null;
        foreach (var draft in drafts)
        {
            if (draft.ProviderPath is { } path)
            {
                if (!_byPath.TryGetValue(path, out var list))
                {
                    _byPath[path] = list = [];
                }

                list.Add(draft);
            }
        }
    }

    /// <summary>Resolves every draft's id, then indexes drafts by id for full-id references.</summary>
    public void ResolveIds()
    {
        foreach (var draft in _drafts)
        {
            IdOf(draft);
        }

        _byId = new Dictionary<string, ResourceDraft>(ResourceIds.Comparer);
        foreach (var draft in _drafts)
        {
            if (draft.Id is not null)
            {
                _byId.TryAdd(draft.Id, draft);
            }
        }

        foreach (var draft in _drafts)
        {
            AddImplicitDependencies(draft);
        }
    }

    /// <summary>
    /// Resolves a reference written by <paramref name="from"/>: a full id (kept as written unless it names a declared
    /// resource) or a provider path, which must name a declared resource. Null after reporting a problem.
    /// </summary>
    /// <param name="reference">The text.</param>
    /// <param name="from">The resource that refers.</param>
    /// <param name="at">Where the reference is written.</param>
    /// <param name="usage">How it is used, for messages: <c>ref()</c>, <c>dependsOn</c>, <c>scope</c>.</param>
    /// <param name="mustBeDeclared">True when a full id outside the environment is an error (dependsOn).</param>
    public ResourceReference? Resolve(string reference, ResourceDraft from, SourceLocation at, string usage, bool mustBeDeclared)
    {
        var text = reference.Trim();
        if (text.StartsWith('/'))
        {
            var id = text.TrimEnd('/');
            if (_byId is not null && _byId.TryGetValue(id, out var declared))
            {
                return new ResourceReference(declared.Id!, declared);
            }

            if (mustBeDeclared)
            {
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.UnknownReference, at,
                    $"{usage} names '{id}', which is not declared in environment '{_environment.Name}'{_incompleteNote}.",
                    $"{usage} can only name resources declared in this environment; remove it or declare the resource."));
                return null;
            }

            return new ResourceReference(id, null);
        }

        if (ProviderPath.Parse(text) is not { } path)
        {
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UnknownReference, at,
                $"{usage} '{text}' is neither a resource id (/subscriptions/...) nor a provider path.",
                $"Write <Namespace>/<type>/<name>, e.g. {ProviderPath.Example}."));
            return null;
        }

        var key = path.ToString();
        if (!_byPath.TryGetValue(key, out var candidates))
        {
            var suggestion = Suggestions.Closest(key, _byPath.Keys);
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.UnknownReference, at,
                $"{usage} '{text}': no {path.Type} named '{path.Name}' is declared in environment '{_environment.Name}'{_incompleteNote}"
                + (suggestion is null ? "." : $"; did you mean '{suggestion}'?"),
                mustBeDeclared
                    ? $"Declare the resource in this environment or fix the type or name: {usage} can only name resources declared here."
                    : "Declare the resource in this environment, fix the type or name, or use its full id for a resource managed elsewhere."));
            return null;
        }

        var target = candidates.Count == 1 ? candidates[0] : PickAmong(candidates, from, text, at, usage);
        if (target is null)
        {
            return null;
        }

        // A target whose own identity failed was reported there; do not add a second error here.
        return IdOf(target) is { } targetId ? new ResourceReference(targetId, target) : null;
    }

    /// <summary>Resolves the argument of <c>ref()</c>, in the shape <see cref="ExpressionContext.ResolveReference"/> takes.</summary>
    /// <remarks>
    /// A full id of an undeclared resource must lie in one of the environment's subscriptions too: ARM checks linked
    /// resources with the caller's token, so a body that names one makes the identity act there.
    /// </remarks>
    public (string Id, bool IsDeclared)? ResolveForExpression(string reference, ResourceDraft from, SourceLocation at)
    {
        if (Resolve(reference, from, at, "ref()", mustBeDeclared: false) is not { } resolved)
        {
            return null;
        }

        if (resolved.Target is null && ResourceIds.SubscriptionOf(resolved.Id) is { } subscription && !_environment.AllowsSubscription(subscription))
        {
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.SubscriptionNotAllowed, at,
                $"ref() '{resolved.Id}' is in subscription {subscription}, which environment '{_environment.Name}' does not list (allowed: {AllowedSubscriptions()}).",
                $"Refer to a resource in one of the environment's subscriptions, or add it to 'subscriptions:' of environment '{_environment.Name}' in gitops.yaml (a reviewed change)."));
            return null;
        }

        return (resolved.Id, resolved.Target is not null);
    }

    private ResourceDraft? PickAmong(List<ResourceDraft> candidates, ResourceDraft from, string text, SourceLocation at, string usage)
    {
        var sameGroup = candidates.Where(c => string.Equals(c.GroupKey, from.GroupKey, StringComparison.OrdinalIgnoreCase)).ToList();
        if (sameGroup.Count == 1)
        {
            return sameGroup[0];
        }

        // Several documents with the same id are reported as duplicates; refer to the first.
        var ids = candidates.Select(IdOf).ToList();
        if (ids.All(id => id is not null) && ids.Distinct(ResourceIds.Comparer).Count() == 1)
        {
            return candidates[0];
        }

        _diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.UnknownReference, at,
            $"{usage} '{text}' is ambiguous: it matches {candidates.Count} resources ({string.Join(", ", candidates.Select(c => c.Location.ToString()))}).",
            "Use the full resource id (/subscriptions/.../resourceGroups/.../providers/...) to say which one."));
        return null;
    }

    private string? IdOf(ResourceDraft draft)
    {
        switch (draft.State)
        {
            case ResolutionState.Done:
                return draft.Id;
            case ResolutionState.Visiting:
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.DependencyCycle, draft.ScopeNode?.Location ?? draft.Location,
                    $"The scope of {draft.ProviderPath} leads back to itself.",
                    "A scope must name a resource that is not, directly or through its own scope, placed on this one."));
                draft.IdentityValid = false;
                return null;
        }

        if (!draft.IdentityValid || draft.TypeName is null || draft.Name is null)
        {
            draft.State = ResolutionState.Done;
            return null;
        }

        draft.State = ResolutionState.Visiting;
        if (draft.ScopeNode is { } scopeNode)
        {
            draft.Scope = ResolveScope(draft, scopeNode);
            if (draft.Scope is null)
            {
                draft.IdentityValid = false;
                draft.State = ResolutionState.Done;
                return null;
            }

            draft.SubscriptionId = ResourceIds.SubscriptionOf(draft.Scope);
        }

        var id = ResourceIds.Build(draft.TypeName.Type, draft.Name, draft.SubscriptionId, draft.ResourceGroup, draft.Scope);
        if (!PlacementAllowed(draft, id))
        {
            draft.IdentityValid = false;
            draft.State = ResolutionState.Done;
            return null;
        }

        draft.Id = id;
        draft.State = ResolutionState.Done;
        return draft.Id;
    }

    /// <summary>
    /// The ARM token reaches every subscription, management group and the tenant root the identity's roles reach; a
    /// document may only aim it where its reviewed environment definition says: the default subscription and
    /// <c>subscriptions:</c>, the management groups in <c>managementGroups:</c> (the group and what is placed on it),
    /// and the tenant root only with <c>tenantLevel: true</c>.
    /// </summary>
    private bool PlacementAllowed(ResourceDraft draft, string id)
    {
        var explicitLocation = draft.ScopeNode?.Location ?? draft.InferredScopeLocation ?? draft.SubscriptionLocation;
        if (explicitLocation is not { } at)
        {
            // The environment's own default subscription (or none, already reported as a missing subscriptionId).
            return true;
        }

        if (draft.SubscriptionId is not null)
        {
            if (_environment.AllowsSubscription(draft.SubscriptionId))
            {
                return true;
            }

            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.SubscriptionNotAllowed, at,
                $"{draft.ProviderPath} targets subscription {draft.SubscriptionId}, which environment '{_environment.Name}' does not list (allowed: {AllowedSubscriptions()}).",
                $"Use one of the environment's subscriptions, or add it to 'subscriptions:' of environment '{_environment.Name}' in gitops.yaml (a reviewed change)."));
            return false;
        }

        if (ResourceIds.ManagementGroupOf(id) is { } group)
        {
            if (_environment.AllowsManagementGroup(group))
            {
                return true;
            }

            var listed = _environment.ManagementGroups.Count == 0 ? "none" : string.Join(", ", _environment.ManagementGroups);
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.SubscriptionNotAllowed, at,
                $"{draft.ProviderPath} ({id}) lies in management group '{group}', which environment '{_environment.Name}' does not list (managementGroups: {listed}).",
                $"Use one of the environment's management groups, or add '{group}' to 'managementGroups:' of environment '{_environment.Name}' in gitops.yaml (a reviewed change)."));
            return false;
        }

        if (_environment.AllowsTenantLevel)
        {
            return true;
        }

        _diagnostics.Add(Diagnostic.Error(
            DiagnosticCodes.SubscriptionNotAllowed, at,
            $"{draft.ProviderPath} ({id}) sits at the tenant root, outside any subscription or management group; environment '{_environment.Name}' does not allow tenant-level resources.",
            $"Place it in one of the environment's subscriptions ({AllowedSubscriptions()}) or management groups, or set 'tenantLevel: true' on environment '{_environment.Name}' in gitops.yaml (a reviewed change: a tenant-level write can reach every subscription)."));
        return false;
    }

    private string? ResolveScope(ResourceDraft draft, Yaml.YamlScalar scopeNode)
    {
        var context = new ExpressionContext
        {
            Environment = _environment,
            Diagnostics = _diagnostics,
            ResolveReference = (reference, at) => ResolveForExpression(reference, draft, at),
        };
        var expanded = _expander.Expand(scopeNode, context);
        if (expanded.Failed)
        {
            return null;
        }

        draft.Dependencies.UnionWith(context.References);
        var text = expanded.Value.Trim();
        if (text == ResourceIds.TenantScope)
        {
            return ResourceIds.TenantScope;
        }

        if (text.StartsWith('/') && !ResourceIds.LooksLikeId(text))
        {
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, scopeNode.Location,
                $"scope '{text}' is not a resource id.",
                "Write a full id starting with /subscriptions/ or /providers/, / for the tenant root, or a declared resource such as Microsoft.Storage/storageAccounts/stapp01."));
            return null;
        }

        if (text.StartsWith('/') && ScopeIdProblem(text) is { } problem)
        {
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, scopeNode.Location,
                $"scope '{text}' {problem}.",
                "Write a resource id as ARM returns it (az resource show --query id), or a declared resource such as Microsoft.Storage/storageAccounts/stapp01."));
            return null;
        }

        var resolved = Resolve(text, draft, scopeNode.Location, "scope", mustBeDeclared: false);
        if (resolved?.Target is not null)
        {
            draft.Dependencies.Add(resolved.Id);
        }

        return resolved?.Id;
    }

    private void AddImplicitDependencies(ResourceDraft draft)
    {
        if (draft.Id is null || draft.TypeName is null || draft.Name is null || _byId is null)
        {
            return;
        }

        // A declared scope target, the declared resource group and a declared parent must exist first: ARM refuses
        // to create a resource inside something that does not exist yet, so users should not have to say it.
        if (draft.Scope is not null && _byId.ContainsKey(draft.Scope))
        {
            draft.Dependencies.Add(_byId[draft.Scope].Id!);
        }

        if (draft.ResourceGroup is not null && draft.SubscriptionId is not null)
        {
            var groupId = ResourceIds.Build(ResourceIds.ResourceGroupType, draft.ResourceGroup, draft.SubscriptionId, null, null);
            if (_byId.TryGetValue(groupId, out var group))
            {
                draft.Dependencies.Add(group.Id!);
            }
        }

        var lastSlash = draft.TypeName.Type.LastIndexOf('/');
        if (draft.TypeName.NameSegments > 1)
        {
            var parentType = draft.TypeName.Type[..lastSlash];
            var parentName = draft.Name[..draft.Name.LastIndexOf('/')];
            var parentId = ResourceIds.Build(parentType, parentName, draft.SubscriptionId, draft.ResourceGroup, draft.Scope);
            if (_byId.TryGetValue(parentId, out var parent))
            {
                draft.Dependencies.Add(parent.Id!);
            }
        }
    }

    private string AllowedSubscriptions()
    {
        var listed = new[] { _environment.SubscriptionId }.OfType<string>().Concat(_environment.AdditionalSubscriptions).ToList();
        return listed.Count == 0 ? "none" : string.Join(", ", listed);
    }

    /// <summary>
    /// A scope id becomes the start of the request path: anything that could change which path, query or host the ARM
    /// client calls (escapes, dot segments, empty segments) is refused here rather than at apply time.
    /// </summary>
    private static string? ScopeIdProblem(string id)
    {
        if (id.IndexOfAny(['?', '#', '%', '\\']) >= 0 || id.Any(char.IsControl))
        {
            return "contains '?', '#', '%', '\\' or a control character, which no resource id holds";
        }

        return id[1..].TrimEnd('/').Split('/').Any(segment => segment.Length == 0 || segment is "." or "..")
            ? "has an empty, '.' or '..' segment"
            : null;
    }
}
