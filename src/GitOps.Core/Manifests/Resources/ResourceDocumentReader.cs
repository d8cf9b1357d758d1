using System.Text.RegularExpressions;
using GitOps.Core.Manifests.Expressions;
using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// Reads one resource document: checks its fields, expands and validates the identity fields (<c>type name
/// resourceGroup subscriptionId</c>), and keeps the rest for the build phase.
/// </summary>
internal sealed class ResourceDocumentReader
{
    /// <summary>Our fields: lifted out of the document, never sent to Azure.</summary>
    public static readonly string[] OwnFields = ["type", "name", "resourceGroup", "subscriptionId", "scope", "dependsOn", "reconcile"];

    /// <summary>ARM top-level fields: passed through to the request body.</summary>
    public static readonly string[] ArmFields =
        ["location", "sku", "kind", "tags", "identity", "zones", "plan", "extendedLocation", "managedBy", "properties"];

    private static readonly string[] AllFields = [.. OwnFields, .. ArmFields];
    private static readonly string[] ReconcileFields = ["policy", "ignore", "onDelete", "schema", "health", "healthTimeout"];

    private static readonly Dictionary<string, ResourcePolicy> Policies = new(StringComparer.Ordinal)
    {
        ["manage"] = ResourcePolicy.Manage,
        ["observe"] = ResourcePolicy.Observe,
        ["detach"] = ResourcePolicy.Detach,
    };

    private static readonly Dictionary<string, DeleteBehavior> DeleteBehaviors = new(StringComparer.Ordinal)
    {
        ["delete"] = DeleteBehavior.Delete,
        ["detach"] = DeleteBehavior.Detach,
    };

    private static readonly Dictionary<string, SchemaCheck> SchemaChecks = new(StringComparer.Ordinal)
    {
        ["on"] = SchemaCheck.On,
        ["off"] = SchemaCheck.Off,
    };

    private readonly EnvironmentDefinition _environment;
    private readonly ExpressionExpander _expander;
    private readonly List<Diagnostic> _diagnostics;
    private readonly MapReader _reader;
    private readonly Ports.IResourceTypeCatalog? _types;

    /// <summary>Creates a reader for one environment.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="expander">Expands the identity fields.</param>
    /// <param name="diagnostics">Where problems go.</param>
    /// <param name="types">The resource type catalogue, which places tenant-only types at the tenant root; optional.</param>
    public ResourceDocumentReader(EnvironmentDefinition environment, ExpressionExpander expander, List<Diagnostic> diagnostics, Ports.IResourceTypeCatalog? types = null)
    {
        _environment = environment;
        _expander = expander;
        _diagnostics = diagnostics;
        _reader = new MapReader(diagnostics);
        _types = types;
    }

    /// <summary>Reads a document; null when it is not a map (reported).</summary>
    public ResourceDraft? Read(YamlDocument document)
    {
        if (document.Root is not YamlMap map)
        {
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, document.Root.Location,
                $"A resource document must be a map of fields, not a {MapReader.Describe(document.Root)}.",
                "Start the document with 'type: Namespace/type@api-version' and 'name: ...'."));
            return null;
        }

        var draft = new ResourceDraft(document);
        _reader.RejectUnknownKeys(map, AllFields, "a resource", SpecialHint);
        foreach (var entry in map.Entries)
        {
            if (ArmFields.Contains(entry.Key.Value))
            {
                draft.BodyFields.Add(entry);
            }

            if (AllFields.Contains(entry.Key.Value))
            {
                draft.FieldLocations["/" + entry.Key.Value] = entry.Key.Location;
            }
        }

        var identityContext = new ExpressionContext
        {
            Environment = _environment,
            Diagnostics = _diagnostics,
            ReferencesNotAllowedReason = "a resource's own identity (type, name, resourceGroup, subscriptionId) cannot depend on another resource",
        };

        // Only errors in the identity fields withhold the id: a resource with a typo in its body still takes part
        // in duplicate and reference checks, so those problems are reported in the same run.
        var mark = _diagnostics.Count;
        ReadType(draft, map, identityContext);
        ReadName(draft, map, identityContext);
        ReadPlacement(draft, map, identityContext);
        draft.IdentityValid &= !HasErrorsSince(mark);
        ReadDependsOn(draft, map);
        ReadReconcile(draft, map);
        return draft;
    }

    private void ReadType(ResourceDraft draft, YamlMap map, ExpressionContext context)
    {
        if (!map.TryGet("type", out _, out var node))
        {
            Missing(draft, "type", "Add type: <Namespace>/<type>@<api-version>, e.g. type: Microsoft.Storage/storageAccounts@2023-05-01.");
            return;
        }

        if (ExpandScalar(node, "type", "type: Microsoft.Storage/storageAccounts@2023-05-01", context) is not { Scalar: var scalar, Text: var text })
        {
            return;
        }

        draft.TypeName = ResourceTypeName.Parse(text.Trim(), out var error);
        if (draft.TypeName is null)
        {
            var example = text.Contains('@') ? "Microsoft.Storage/storageAccounts@2023-05-01" : $"{text.Trim()}@2024-01-01";
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.MalformedType, scalar.Location, $"Malformed type: {error}.",
                $"Write <Namespace>/<type>[/<childType>...]@<yyyy-mm-dd[-preview]>, e.g. {example}."));
        }
    }

    private void ReadName(ResourceDraft draft, YamlMap map, ExpressionContext context)
    {
        if (!map.TryGet("name", out _, out var node))
        {
            Missing(draft, "name", "Add name: <the ARM name>; child resources use nested names such as vnet-app/default.");
            return;
        }

        if (ExpandScalar(node, "name", "name: stapp01", context) is not { Scalar: var scalar, Text: var name })
        {
            return;
        }

        var segments = name.Split('/');
        if (draft.TypeName is { } type && segments.Length != type.NameSegments)
        {
            var example = string.Join('/', type.TypeSegments.Select(t => "<" + t + ">"));
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidName, scalar.Location,
                $"Name '{name}' has {segments.Length} segment(s) but type {type.Type} needs {type.NameSegments}.",
                $"Write one name per type segment after the namespace: {example} (e.g. vnet-app/default for a subnet)."));
            return;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            if (NameRules.CheckSegment(segments[i], draft.TypeName?.Type, i == segments.Length - 1) is { } problem)
            {
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidName, scalar.Location,
                    segments.Length == 1 ? $"Name '{name}' {problem}." : $"Name '{name}': segment '{segments[i]}' {problem}.",
                    "Choose a name ARM accepts for this type."));
                return;
            }
        }

        draft.Name = name;
    }

    private void ReadPlacement(ResourceDraft draft, YamlMap map, ExpressionContext context)
    {
        var isResourceGroup = draft.TypeName?.IsResourceGroup == true;
        var hasScope = map.TryGet("scope", out _, out var scopeNode);
        if (hasScope)
        {
            draft.ScopeNode = _reader.ExpectScalar(scopeNode, "scope", "scope: Microsoft.Storage/storageAccounts/stapp01 (or a full id /subscriptions/...)");
            if (isResourceGroup)
            {
                Invalid(scopeNode.Location, "A resource group cannot have a scope.", "Remove 'scope'.");
            }
        }

        if (map.TryGet("resourceGroup", out _, out var groupNode)
            && ExpandScalar(groupNode, "resourceGroup", "resourceGroup: rg-app", context) is { Scalar: var groupScalar, Text: var group })
        {
            if (isResourceGroup)
            {
                Invalid(groupScalar.Location, "A resource group does not sit in a resource group: 'resourceGroup' does not apply.",
                    "Remove 'resourceGroup'; the resource group's own name goes in 'name'.");
            }
            else if (hasScope)
            {
                Invalid(groupScalar.Location, "'resourceGroup' and 'scope' exclude each other: the scope places an extension resource.",
                    "Remove 'resourceGroup' (or 'scope').");
            }
            else if (NameRules.CheckResourceGroup(group) is { } problem)
            {
                _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidName, groupScalar.Location,
                    $"resourceGroup '{group}' {problem}.", "Use the name of a resource group ARM accepts."));
            }
            else
            {
                draft.ResourceGroup = group;
            }
        }

        string? subscription = null;
        if (map.TryGet("subscriptionId", out _, out var subscriptionNode)
            && ExpandScalar(subscriptionNode, "subscriptionId", "subscriptionId: 00000000-0000-0000-0000-000000000000", context) is { Scalar: var subscriptionScalar, Text: var text })
        {
            if (hasScope)
            {
                Invalid(subscriptionScalar.Location, "'subscriptionId' and 'scope' exclude each other: the scope places an extension resource.",
                    "Remove 'subscriptionId' (or 'scope').");
            }
            else if (!Guid.TryParseExact(text, "D", out _))
            {
                Invalid(subscriptionScalar.Location, $"subscriptionId '{text}' is not a GUID.",
                    "Write the subscription id as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.");
            }
            else
            {
                subscription = text;
                draft.SubscriptionLocation = subscriptionScalar.Location;
            }
        }

        if (hasScope)
        {
            return;
        }

        if (subscription is null && draft.ResourceGroup is null && !map.TryGet("resourceGroup", out _, out _) && !map.TryGet("subscriptionId", out _, out _)
            && IsTenantOnly(draft.TypeName))
        {
            // A type the catalogue deploys only at the tenant root (management groups, subscription aliases) goes
            // there without 'scope: /'; the allow-list still decides whether this environment may put it there.
            draft.Scope = ResourceIds.TenantScope;
            draft.InferredScopeLocation = draft.FieldLocations.TryGetValue("/type", out var typeAt) ? typeAt : draft.Location;
            return;
        }

        draft.SubscriptionId = subscription ?? _environment.SubscriptionId;
        if (draft.SubscriptionId is null && !map.TryGet("subscriptionId", out _, out _))
        {
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.MissingField, draft.Location,
                $"The resource has no subscriptionId and environment '{_environment.Name}' has no default subscription.",
                "Add subscriptionId to the resource, or to the environment in gitops.yaml (or pass --subscription)."));
        }

        var type = draft.TypeName?.Type;
        if (isResourceGroup && !map.TryGet("location", out _, out _))
        {
            _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MissingField, draft.Location,
                "A resource group needs a 'location'.", "Add location: <region>, e.g. location: westeurope."));
        }
        else if (type is not null && draft.ResourceGroup is null && !map.TryGet("resourceGroup", out _, out _) && NameRules.NeedsResourceGroup(type))
        {
            _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MissingField, draft.Location,
                $"{type} lives in a resource group but the resource has no 'resourceGroup'.",
                "Add resourceGroup: <name of the resource group>."));
        }
    }

    private bool IsTenantOnly(ResourceTypeName? name) =>
        name is not null && _types?.Find(name.Type, name.ApiVersion)?.WritableScopes is { } scopes
        && (scopes & Schemas.ResourceScopes.Tenant) != 0
        && (scopes & (Schemas.ResourceScopes.Subscription | Schemas.ResourceScopes.ResourceGroup | Schemas.ResourceScopes.Extension)) == 0;

    private void ReadDependsOn(ResourceDraft draft, YamlMap map)
    {
        if (!map.TryGet("dependsOn", out _, out var node)
            || _reader.ExpectList(node, "dependsOn", "dependsOn: [ Microsoft.Resources/resourceGroups/rg-app ]") is not { } list)
        {
            return;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            if (_reader.ExpectScalar(list.Items[i], $"dependsOn[{i}]", "- Microsoft.Storage/storageAccounts/stapp01") is { } scalar)
            {
                draft.DependsOnNodes.Add(scalar);
                draft.FieldLocations[$"/dependsOn/{i}"] = scalar.Location;
            }
        }
    }

    private void ReadReconcile(ResourceDraft draft, YamlMap map)
    {
        if (!map.TryGet("reconcile", out _, out var node)
            || _reader.ExpectMap(node, "reconcile", "reconcile: { policy: manage, ignore: [ /properties/networkAcls ], onDelete: delete }") is not { } block)
        {
            return;
        }

        _reader.RejectUnknownKeys(block, ReconcileFields, "reconcile");
        var settings = ReconcileSettings.Default;
        foreach (var (key, _) in block.Entries)
        {
            draft.FieldLocations["/reconcile/" + key.Value] = key.Location;
        }

        if (block.TryGet("policy", out _, out var policy) && _reader.ReadEnum(policy, "reconcile.policy", Policies) is { } value)
        {
            settings = settings with { Policy = value };
        }

        if (block.TryGet("schema", out _, out var schema) && _reader.ReadEnum(schema, "reconcile.schema", SchemaChecks) is { } check)
        {
            settings = settings with { Schema = check };
        }

        if (block.TryGet("onDelete", out _, out var onDelete) && _reader.ReadEnum(onDelete, "reconcile.onDelete", DeleteBehaviors) is { } behavior)
        {
            settings = settings with { OnDelete = behavior };
        }

        if (block.TryGet("ignore", out _, out var ignoreNode)
            && _reader.ExpectList(ignoreNode, "reconcile.ignore", "ignore: [ /properties/networkAcls ]") is { } list)
        {
            var pointers = new List<string>();
            foreach (var item in list.Items)
            {
                if (_reader.ExpectScalar(item, "reconcile.ignore[]", "- /properties/networkAcls") is not { } pointer)
                {
                    continue;
                }

                if (pointer.Value.Length == 0 || !Pointers.JsonPointer.IsValid(pointer.Value))
                {
                    Invalid(pointer.Location, $"reconcile.ignore entry '{pointer.Value}' is not a JSON pointer.",
                        "Write a JSON pointer into the ARM body starting with '/', e.g. /properties/networkAcls ('~1' for '/', '~0' for '~').");
                    continue;
                }

                pointers.Add(pointer.Value);
            }

            settings = settings with { Ignore = pointers };
        }

        draft.Reconcile = settings with { Health = new HealthCheckReader(_reader).Read(block) };
    }

    /// <summary>Expands a scalar field without references; null after reporting a problem.</summary>
    private ExpandedField? ExpandScalar(YamlNode node, string field, string example, ExpressionContext context)
    {
        if (_reader.ExpectScalar(node, field, example) is not { } scalar)
        {
            return null;
        }

        var expanded = _expander.Expand(scalar, context);
        if (expanded.Failed)
        {
            return null;
        }

        if (expanded.Value.Length == 0)
        {
            _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MissingField, scalar.Location, $"'{field}' is empty.", $"Write it as {example}."));
            return null;
        }

        return new ExpandedField(scalar, expanded.Value);
    }

    private void Missing(ResourceDraft draft, string field, string hint) =>
        _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.MissingField, draft.Location, $"The resource has no '{field}'.", hint));

    private void Invalid(SourceLocation location, string message, string hint) =>
        _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, location, message, hint));

    // Only what was added since the mark: counting the whole list per document would be quadratic.
    private bool HasErrorsSince(int mark)
    {
        for (var i = mark; i < _diagnostics.Count; i++)
        {
            if (_diagnostics[i].Severity == DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }

    private static string? SpecialHint(string field) => field switch
    {
        "apiVersion" => "The api-version goes in 'type' after '@': type: Microsoft.Storage/storageAccounts@2023-05-01.",
        "id" or "etag" or "systemData" => $"'{field}' is set by ARM (read-only); remove it. The id is built from type, name, resourceGroup and subscriptionId.",
        "resources" => "Declare child resources as separate documents with nested names (type: Microsoft.Network/virtualNetworks/subnets@..., name: vnet-app/default).",
        _ => null,
    };

    private sealed record ExpandedField(YamlScalar Scalar, string Text);
}
