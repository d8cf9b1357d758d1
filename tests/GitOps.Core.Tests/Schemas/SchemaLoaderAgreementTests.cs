using System.Reflection;
using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Manifests.Config;
using GitOps.Core.Manifests.Resources;
using GitOps.Core.Policy;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Schemas;

/// <summary>
/// The schemas and the loaders accept the same fields and values: the field lists are read from the loaders themselves,
/// and sample documents go through both, so a field added to one and not the other fails here.
/// </summary>
public class SchemaLoaderAgreementTests
{
    public static TheoryData<string, string, Type, string> FieldLists() => new()
    {
        { SchemaFiles.Config, "", typeof(ConfigFileReader), "TopFields" },
        { SchemaFiles.Config, "/definitions/environment", typeof(ConfigFileReader), "EnvironmentFields" },
        { SchemaFiles.Config, "/definitions/drift", typeof(ConfigFileReader), "DriftFields" },
        { SchemaFiles.Config, "/definitions/prune", typeof(ConfigFileReader), "PruneFields" },
        { SchemaFiles.Config, "/definitions/suspension", typeof(ConfigFileReader), "SuspendedFields" },
        { SchemaFiles.Config, "/definitions/syncWindow", typeof(SyncWindowReader), "Fields" },
        { SchemaFiles.Resource, "", typeof(ResourceDocumentReader), "AllFields" },
        { SchemaFiles.Resource, "/definitions/reconcile", typeof(ResourceDocumentReader), "ReconcileFields" },
        { SchemaFiles.Policy, "", typeof(PolicyFileReader), "TopFields" },
        { SchemaFiles.Policy, "/definitions/rule", typeof(PolicyFileReader), "RuleFields" },
        { SchemaFiles.Policy, "/definitions/scope", typeof(PolicyFileReader), "ScopeFields" },
        { SchemaFiles.Policy, "/definitions/assert", typeof(PolicyFileReader), "AssertFields" },
    };

    [Theory]
    [MemberData(nameof(FieldLists))]
    public void Schema_Properties_Are_Exactly_The_Fields_The_Loader_Accepts(string schema, string pointer, Type reader, string field)
    {
        var loaderFields = (string[])reader.GetField(field, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var node = At(SchemaFiles.Json(schema), pointer);

        Assert.Equal(loaderFields.Order(StringComparer.Ordinal), node["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.False(node["additionalProperties"]!.GetValue<bool>(), $"{schema}{pointer} must refuse unknown fields, as the loader does.");
    }

    public static TheoryData<string, string, Type, string> Enums() => new()
    {
        { SchemaFiles.Config, "/definitions/drift/properties/mode", typeof(ConfigFileReader), "DriftModes" },
        { SchemaFiles.Config, "/definitions/syncWindow/properties/kind", typeof(SyncWindowReader), "Kinds" },
        { SchemaFiles.Config, "/definitions/syncWindow/properties/triggers/items", typeof(SyncWindowReader), "TriggerNames" },
        { SchemaFiles.Resource, "/definitions/reconcile/properties/policy", typeof(ResourceDocumentReader), "Policies" },
        { SchemaFiles.Resource, "/definitions/reconcile/properties/onDelete", typeof(ResourceDocumentReader), "DeleteBehaviors" },
        { SchemaFiles.Policy, "/definitions/rule/properties/severity", typeof(PolicyFileReader), "Severities" },
    };

    [Theory]
    [MemberData(nameof(Enums))]
    public void Schema_Enums_Are_Exactly_The_Loader_Values(string schema, string pointer, Type reader, string field)
    {
        var values = (System.Collections.IDictionary)reader.GetField(field, BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var node = At(SchemaFiles.Json(schema), pointer);

        Assert.Equal(values.Keys.Cast<string>().Order(StringComparer.Ordinal), node["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Policy_Checks_And_Operators_Are_The_Ones_The_Schema_Requires_Exactly_One_Of()
    {
        var schema = SchemaFiles.Json(SchemaFiles.Policy);
        string[] Required(string pointer) =>
            [.. At(schema, pointer)["oneOf"]!.AsArray().Select(f => f!["required"]!.AsArray().Single()!.GetValue<string>()).Order(StringComparer.Ordinal)];
        string[] Loader(string field) =>
            [.. ((string[])typeof(PolicyFileReader).GetField(field, BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!).Order(StringComparer.Ordinal)];

        Assert.Equal(Loader("CheckFields"), Required("/definitions/rule"));
        Assert.Equal(Loader("OperatorFields"), Required("/definitions/assert"));
    }

    [Fact]
    public void Schema_Defaults_Are_The_Loader_Defaults()
    {
        var schema = SchemaFiles.Json(SchemaFiles.Config);
        var defaults = new EnvironmentDefinition { Name = "x", Path = "x", Location = new SourceLocation("gitops.yaml", 1, 1) };
        JsonNode Default(string pointer) => At(schema, pointer)["default"]!;

        Assert.Equal(defaults.DriftInterval, DriftIntervalParser.Parse(Default("/definitions/drift/properties/interval").GetValue<string>()));
        Assert.Equal(defaults.DriftMode.ToString(), Default("/definitions/drift/properties/mode").GetValue<string>(), ignoreCase: true);
        Assert.Equal(defaults.Prune.Enabled, Default("/definitions/prune/properties/enabled").GetValue<bool>());
        Assert.Equal(defaults.Prune.DeleteBudget, Default("/definitions/prune/properties/deleteBudget").GetValue<int>());
        Assert.Equal(defaults.Branch, Default("/definitions/environment/properties/branch").GetValue<string>());

        var reconcile = At(SchemaFiles.Json(SchemaFiles.Resource), "/definitions/reconcile/properties");
        Assert.Equal(ReconcileSettings.Default.Policy.ToString(), reconcile["policy"]!["default"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal(ReconcileSettings.Default.OnDelete.ToString(), reconcile["onDelete"]!["default"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal(nameof(PolicySeverity.Deny), At(SchemaFiles.Json(SchemaFiles.Policy), "/definitions/rule/properties/severity")["default"]!.GetValue<string>(), ignoreCase: true);
    }

    private const string Environment = "environments:\n  - name: prod\n    path: envs/prod\n";

    public static TheoryData<string, bool> ConfigCases() => new()
    {
        { Environment, true },
        { "version: 1\n" + Environment + "    branch: release/1.0\n    subscriptionId: 8e7d6c5b-4a39-4281-b0c1-d2e3f4a5b6c7\n", true },
        { Environment + "    drift: { interval: 1h30m, mode: detect }\n    prune: { enabled: true, deleteBudget: 0 }\n", true },
        { Environment + "    drift: { interval: PT30M }\n    suspended: true\n", true },
        { Environment + "    suspended: { reason: change freeze, until: 2026-12-01T00:00:00Z }\n", true },
        { Environment + "    variables: { location: westeurope, retention: 30, _x-y: no }\n", true },
        { "version: 2\n" + Environment, false },
        { "environments: []\n", false },
        { "environment:\n  - name: prod\n    path: envs/prod\n", false },
        { "environments:\n  - name: prod\n", false },
        { "environments:\n  - path: envs/prod\n", false },
        { "environments:\n  - name: Prod\n    path: envs/prod\n", false },
        { Environment + "    brnach: main\n", false },
        { Environment + "    branch: feature branch\n", false },
        { Environment + "    subscriptionId: not-a-guid\n", false },
        { Environment + "    subscriptions: [ 8e7d6c5b-4a39-4281-b0c1-d2e3f4a5b6c7 ]\n", true },
        { Environment + "    subscriptions: [ not-a-guid ]\n", false },
        { Environment + "    subscriptions: 8e7d6c5b-4a39-4281-b0c1-d2e3f4a5b6c7\n", false },
        { Environment + "    drift: { mode: fix }\n", false },
        { Environment + "    drift: { interval: soon }\n", false },
        { Environment + "    drift: { every: 1h }\n", false },
        { Environment + "    prune: { enabled: yes }\n", false },
        { Environment + "    prune: { deleteBudget: -1 }\n", false },
        { Environment + "    prune: { deleteBudget: 2.5 }\n", false },
        { Environment + "    suspended: { reason: x, by: me }\n", false },
        { Environment + "    variables: { 1st: x }\n", false },
        { Environment + "    variables: { location: '${{ vars.other }}' }\n", false },
        { Environment + "    variables: { list: [ a ] }\n", false },
        { Environment + "    windows: [ { kind: deny, schedule: \"0 18 * * 5\", duration: 60h, timeZone: Europe/Berlin, triggers: [push, drift], name: weekend } ]\n", true },
        { Environment + "    windows: [ { kind: allow, schedule: \"0 9 * * 1-5\", duration: PT8H } ]\n", true },
        { Environment + "    windows: [ { kind: maybe, schedule: \"0 9 * * *\", duration: 1h } ]\n", false },
        { Environment + "    windows: [ { kind: allow, schedule: \"0 9 * *\", duration: 1h } ]\n", false },
        { Environment + "    windows: [ { kind: allow, schedule: \"0 9 * * *\" } ]\n", false },
        { Environment + "    windows: [ { kind: allow, schedule: \"0 9 * * *\", duration: 1h, triggers: [webhook] } ]\n", false },
        { Environment + "    windows: [ { kind: allow, schedule: \"0 9 * * *\", duration: 1h, triggers: [] } ]\n", false },
    };

    [Theory]
    [MemberData(nameof(ConfigCases))]
    public void Config_Schema_And_Loader_Agree(string yaml, bool valid)
    {
        var loaded = new ManifestLoader().LoadConfig(new InMemoryFileTree().Add(ManifestLoader.ConfigFileName, yaml));
        AssertAgree(SchemaFiles.Config, yaml, valid, loaded.Diagnostics);
    }

    private const string Storage = "type: Microsoft.Storage/storageAccounts@2023-05-01\nname: stapp01\nresourceGroup: rg-app\n";

    public static TheoryData<string, bool> ResourceCases() => new()
    {
        { Storage, true },
        { Storage + "location: westeurope\nsku: { name: Standard_LRS }\nkind: StorageV2\ntags: { owner: platform, costCenter: 4711 }\nproperties: { minimumTlsVersion: TLS1_2 }\n", true },
        { Storage + "identity: { type: SystemAssigned }\nzones: [ '1' ]\nplan: { name: p }\nextendedLocation: { name: e, type: EdgeZone }\nmanagedBy: /subscriptions/x\n", true },
        { Storage + "subscriptionId: 11111111-2222-3333-4444-555555555555\ndependsOn: []\nreconcile: { policy: observe, ignore: [ /properties/networkAcls, /tags/a~1b ], onDelete: detach }\n", true },
        { "type: Microsoft.Network/virtualNetworks/subnets@2024-05-01-preview\nname: vnet/snet\nresourceGroup: rg-app\n", true },
        { "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-${{ env.name }}\nlocation: westeurope\n", true },
        { "type: Microsoft.Authorization/locks@2020-05-01\nname: no-delete\nscope: /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-app\nproperties: { level: CanNotDelete }\n", true },
        { Storage + "propertes: {}\n", false },
        { Storage + "reconcile: { policy: skip }\n", false },
        { Storage + "reconcile: { onDelete: orphan }\n", false },
        { Storage + "reconcile: { ignore: [ properties/networkAcls ] }\n", false },
        { Storage + "reconcile: { ignore: [ /properties/a~2 ] }\n", false },
        { Storage + "reconcile: { prune: false }\n", false },
        { Storage + "properties: [ a ]\n", false },
        { Storage + "sku: Standard_LRS\n", false },
        { Storage + "zones: 1\n", false },
        { Storage + "location: [ westeurope ]\n", false },
        { Storage + "tags: [ owner ]\n", false },
        { Storage + "tags: { owner: { team: a } }\n", false },
        { Storage + "dependsOn: Microsoft.Resources/resourceGroups/rg-app\n", false },
        { Storage + "subscriptionId: 42\n", false },
        { "name: stapp01\nresourceGroup: rg-app\n", false },
        { "type: Microsoft.Storage/storageAccounts@2023-05-01\nresourceGroup: rg-app\n", false },
        { "type: Microsoft.Storage/storageAccounts\nname: stapp01\nresourceGroup: rg-app\n", false },
        { "type: storageAccounts@2023-05-01\nname: stapp01\nresourceGroup: rg-app\n", false },
        { "type: Microsoft.Storage/storageAccounts@2023-5-1\nname: stapp01\nresourceGroup: rg-app\n", false },
        { "type: Microsoft.Storage/storageAccounts@2023-05-01-rc\nname: stapp01\nresourceGroup: rg-app\n", false },
    };

    [Theory]
    [MemberData(nameof(ResourceCases))]
    public void Resource_Schema_And_Loader_Agree(string yaml, bool valid)
    {
        var loaded = LoadSingle(yaml);
        AssertAgree(SchemaFiles.Resource, yaml, valid, loaded.Diagnostics);
    }

    private const string Rule = "rules:\n  - name: r\n";

    public static TheoryData<string, bool> PolicyCases() => new()
    {
        { Rule + "    allowedLocations: [ westeurope ]\n", true },
        { "version: 1\n" + Rule + "    description: why\n    severity: warn\n    appliesTo: { types: [ 'Microsoft.Storage/*' ], environments: [ prod ] }\n    deniedTypes: [ 'Microsoft.ClassicCompute/*' ]\n", true },
        { Rule + "    requiredTags: [ owner ]\n", true },
        { Rule + "    requiredTags: { costCenter: [ '4711', 4712 ], owner: [], team: }\n", true },
        { Rule + "    allowedSkus: { 'Microsoft.Storage/storageAccounts': [ Standard_ZRS ] }\n", true },
        { Rule + "    assert: { path: /properties/allowBlobPublicAccess, equals: false }\n", true },
        { Rule + "    assert: { path: /properties/x, oneOf: [ a, 1, null ] }\n", true },
        { Rule + "    assert: { path: /properties/x, not: a }\n", true },
        { Rule + "    assert: { path: /properties/x, exists: true }\n", true },
        { Rule + "    assert: { path: /properties/x, absent: true }\n", true },
        { "version: 2\n" + Rule + "    allowedLocations: [ westeurope ]\n", false },
        { "rule:\n  - name: r\n    allowedLocations: [ westeurope ]\n", false },
        { "rules:\n  - allowedLocations: [ westeurope ]\n", false },
        { "rules:\n  - name: -r\n    allowedLocations: [ westeurope ]\n", false },
        { Rule, false },
        { Rule + "    allowedLocations: [ westeurope ]\n    deniedTypes: [ 'Microsoft.Classic*' ]\n", false },
        { Rule + "    alowedLocations: [ westeurope ]\n", false },
        { Rule + "    allowedLocations: []\n", false },
        { Rule + "    allowedLocations: westeurope\n", false },
        { Rule + "    severity: error\n    allowedLocations: [ westeurope ]\n", false },
        { Rule + "    appliesTo: { type: [ x ] }\n    allowedLocations: [ westeurope ]\n", false },
        { Rule + "    deniedTypes: [ 'Microsoft Storage' ]\n", false },
        { Rule + "    requiredTags: []\n", false },
        { Rule + "    requiredTags: {}\n", false },
        { Rule + "    allowedSkus: { 'Microsoft.Storage/storageAccounts': [] }\n", false },
        { Rule + "    assert: { equals: x }\n", false },
        { Rule + "    assert: { path: properties/x, equals: x }\n", false },
        { Rule + "    assert: { path: /properties/x }\n", false },
        { Rule + "    assert: { path: /properties/x, equals: a, not: b }\n", false },
        { Rule + "    assert: { path: /properties/x, equals: [ a ] }\n", false },
        { Rule + "    assert: { path: /properties/x, exists: false }\n", false },
        { Rule + "    assert: { path: /properties/x, oneOf: [] }\n", false },
        { Rule + "    assert: { path: /properties/x, matches: a }\n", false },
    };

    [Theory]
    [MemberData(nameof(PolicyCases))]
    public void Policy_Schema_And_Loader_Agree(string yaml, bool valid)
    {
        var loaded = new ManifestLoader().LoadPolicy(new InMemoryFileTree().Add(PolicySet.FileName, yaml));
        AssertAgree(SchemaFiles.Policy, yaml, valid, loaded.Diagnostics);
    }

    private static void AssertAgree(string schema, string yaml, bool valid, IReadOnlyList<Diagnostic> diagnostics)
    {
        var schemaErrors = SchemaFiles.Validator(schema).Validate(YamlJson.Single(yaml));
        var loaderErrors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        Assert.True(valid == (loaderErrors.Count == 0), $"loader, expected {(valid ? "valid" : "errors")}:\n{yaml}\n{string.Join("\n", loaderErrors)}");
        Assert.True(valid == (schemaErrors.Count == 0), $"{schema}, expected {(valid ? "valid" : "errors")}:\n{yaml}\n{string.Join("\n", schemaErrors)}");
    }

    private static JsonObject At(JsonObject root, string pointer)
    {
        JsonNode node = root;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node[segment]!;
        }

        return node.AsObject();
    }
}
