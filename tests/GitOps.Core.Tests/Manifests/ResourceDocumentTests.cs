using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class ResourceDocumentTests
{
    private const string StorageAccount = """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg-app
        location: westeurope
        sku: { name: Standard_ZRS }
        kind: StorageV2
        tags: { owner: platform }
        properties: { minimumTlsVersion: TLS1_2, allowBlobPublicAccess: false }
        reconcile: { policy: observe, ignore: [ /properties/networkAcls ], onDelete: detach }
        """;

    [Fact]
    public void Resource_Fields_Split_Into_Identity_And_Body()
    {
        var result = LoadSingle(StorageAccount);

        AssertNoErrors(result);
        var resource = result.Resources.Single();
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01", resource.Id);
        Assert.Equal("Microsoft.Storage/storageAccounts", resource.Type);
        Assert.Equal("2023-05-01", resource.ApiVersion);
        Assert.Equal("stapp01", resource.Name);
        Assert.Equal(Subscription, resource.SubscriptionId);
        Assert.Equal("rg-app", resource.ResourceGroup);
        Assert.Null(resource.Scope);
        Assert.Equal(
            """{"location":"westeurope","sku":{"name":"Standard_ZRS"},"kind":"StorageV2","tags":{"owner":"platform"},"properties":{"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false}}""",
            resource.Body.ToJsonString());
        Assert.Equal(new ReconcileSettings(ResourcePolicy.Observe, ["/properties/networkAcls"], DeleteBehavior.Detach) with { Ignore = resource.Reconcile.Ignore }, resource.Reconcile);
        Assert.Equal(["/properties/networkAcls"], resource.Reconcile.Ignore);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Files_Are_Read_Recursively_In_Ordinal_Order_Skipping_Config_And_Dot_Files()
    {
        const string Group = "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: {0}\nlocation: westeurope\n";
        var tree = new InMemoryFileTree()
            .Add("envs/prod/b.yml", string.Format(Group, "rg-b"))
            .Add("envs/prod/a/z.yaml", string.Format(Group, "rg-az") + "---\n---\n" + string.Format(Group, "rg-az2"))
            .Add("envs/prod/B.yaml", string.Format(Group, "rg-upper-b"))
            .Add("envs/prod/gitops.policy.yaml", "rules: []\n")
            .Add("envs/prod/gitops.yaml", "environments: []\n")
            .Add("envs/prod/.hidden.yaml", "not: a resource\n")
            .Add("envs/prod/.github/workflow.yaml", "on: push\n")
            .Add("envs/prod/notes.txt", "ignored")
            .Add("envs/dev/rg.yaml", string.Format(Group, "rg-dev"));

        var result = new ManifestLoader().LoadEnvironment(tree, Environment(path: "envs/prod"));

        AssertNoErrors(result);
        Assert.Equal(["rg-upper-b", "rg-az", "rg-az2", "rg-b"], result.Resources.Select(r => r.Name));
        Assert.Equal(new SourceLocation("envs/prod/a/z.yaml", 6, 1), result.Resources[2].Location);
    }

    [Fact]
    public void Unknown_Top_Level_Field_Suggests_The_Right_One()
    {
        var result = LoadSingle(StorageAccount + "\npropertes: { a: 1 }\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.UnknownField);
        AssertAt(error, "main.yaml", 10, 1);
        Assert.Equal("Unknown field 'propertes' in a resource; did you mean 'properties'?", error.Message);
        Assert.Equal("Rename it to 'properties'.", error.Hint);
    }

    [Theory]
    [InlineData("apiVersion: 2023-05-01", "goes in 'type'")]
    [InlineData("id: /subscriptions/x", "read-only")]
    [InlineData("resources: []", "separate documents")]
    public void Fields_From_Arm_Templates_Get_A_Specific_Hint(string line, string hint)
    {
        var result = LoadSingle(StorageAccount + "\n" + line + "\n");

        Assert.Contains(hint, Single(result.Diagnostics, DiagnosticCodes.UnknownField).Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_Field_In_Reconcile_Is_Reported()
    {
        var result = LoadSingle(StorageAccount.Replace("onDelete: detach", "ondelete: detach", StringComparison.Ordinal));

        var error = Single(result.Diagnostics, DiagnosticCodes.UnknownField);
        AssertAt(error, "main.yaml", 9, 68);
        Assert.Contains("did you mean 'onDelete'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts", "has no api-version")]
    [InlineData("Microsoft.Storage/storageAccounts@2023-5-1", "api-version '2023-5-1'")]
    [InlineData("Microsoft.Storage/storageAccounts@2023-13-01", "api-version '2023-13-01'")]
    [InlineData("Microsoft.Storage/storageAccounts@2023-05-01-experimental", "api-version")]
    [InlineData("storageAccounts@2023-05-01", "no provider namespace")]
    [InlineData("Microsoft.Storage/@2023-05-01", "is not a resource type")]
    public void Malformed_Type_Is_Reported_At_The_Type(string type, string expected)
    {
        var result = LoadSingle(StorageAccount.Replace("Microsoft.Storage/storageAccounts@2023-05-01", type, StringComparison.Ordinal));

        var error = Single(result.Diagnostics, DiagnosticCodes.MalformedType);
        AssertAt(error, "main.yaml", 1, 7);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts@2023-05-01-preview")]
    [InlineData("Microsoft.Insights/diagnosticSettings@2021-05-01-preview")]
    [InlineData("Microsoft.Network/privateDnsZones@2020-06-01")]
    [InlineData("Microsoft.Web/sites@2023-12-01-beta")]
    public void Well_Formed_Types_Are_Accepted(string type)
    {
        var parsed = GitOps.Core.Manifests.Resources.ResourceTypeName.Parse(type, out var error);

        Assert.NotNull(parsed);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts@2023-05-01", "StAppProd01", "lowercase letters and digits")]
    [InlineData("Microsoft.Storage/storageAccounts@2023-05-01", "st", "3-24")]
    [InlineData("Microsoft.KeyVault/vaults@2023-07-01", "kv--app", "no '--'")]
    [InlineData("Microsoft.KeyVault/vaults@2023-07-01", "1kv-app", "start with a letter")]
    [InlineData("Microsoft.Network/virtualNetworks@2024-05-01", "vnet-app.", "ends with '.'")]
    [InlineData("Microsoft.Network/networkSecurityGroups@2024-05-01", "nsg<app>", "contains '<'")]
    [InlineData("Microsoft.Web/sites@2023-12-01", "app?", "contains '?'")]
    [InlineData("Microsoft.Network/virtualNetworks/subnets@2024-05-01", "vnet-app", "needs 2")]
    [InlineData("Microsoft.Network/virtualNetworks/subnets@2024-05-01", "vnet-app//", "needs 2")]
    [InlineData("Microsoft.Network/virtualNetworks/subnets@2024-05-01", "vnet-app/", "empty segment")]
    [InlineData("Microsoft.Authorization/roleAssignments@2022-04-01", "not-a-guid", "GUID")]
    [InlineData("Microsoft.OperationalInsights/workspaces@2023-09-01", "log", "4-63")]
    public void Names_Arm_Would_Reject_Are_Reported_At_The_Name(string type, string name, string expected)
    {
        var yaml = $"type: {type}\nname: '{name}'\nresourceGroup: rg-app\nlocation: westeurope\n";
        if (type.Contains("roleAssignments", StringComparison.Ordinal))
        {
            yaml = $"type: {type}\nname: '{name}'\nscope: /subscriptions/{Subscription}\nproperties: {{ principalId: x }}\n";
        }

        var result = LoadSingle(yaml);

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidName);
        AssertAt(error, "main.yaml", 2, 7);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Overlong_And_Control_Character_Names_Are_Refused()
    {
        var tooLong = LoadSingle($"type: Contoso.Widgets/widgets@2024-01-01\nname: {new string('a', 261)}\nresourceGroup: rg\n");
        var control = LoadSingle("type: Contoso.Widgets/widgets@2024-01-01\nname: \"a\\tb\"\nresourceGroup: rg\n");

        Assert.Contains("261 characters", Single(tooLong.Diagnostics, DiagnosticCodes.InvalidName).Message, StringComparison.Ordinal);
        Assert.Contains("control character", Single(control.Diagnostics, DiagnosticCodes.InvalidName).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rg-app(1)", true)]
    [InlineData("rg_app.prod", true)]
    [InlineData("rg-app.", false)]
    [InlineData("rg app", false)]
    public void Resource_Group_Names_Follow_The_Arm_Rule(string name, bool valid)
    {
        var result = LoadSingle($"type: Microsoft.Resources/resourceGroups@2024-03-01\nname: '{name}'\nlocation: westeurope\n");

        Assert.Equal(!valid, result.Diagnostics.Any(d => d.Code == DiagnosticCodes.InvalidName));
    }

    [Fact]
    public void Invalid_Resource_Group_Field_Is_A_Name_Error()
    {
        var result = LoadSingle(StorageAccount.Replace("resourceGroup: rg-app", "resourceGroup: 'rg app?'", StringComparison.Ordinal));

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.InvalidName), "main.yaml", 3, 16);
    }

    [Fact]
    public void Child_Resource_Uses_Nested_Name()
    {
        var result = LoadSingle("type: Microsoft.Network/virtualNetworks/subnets@2024-05-01\nname: vnet-app/default\nresourceGroup: rg-app\nproperties: { addressPrefix: 10.0.0.0/24 }\n");

        AssertNoErrors(result);
        Assert.Equal(
            $"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/default",
            result.Resources.Single().Id);
    }

    [Fact]
    public void Resource_Group_Is_Subscription_Level()
    {
        var result = LoadSingle("type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-app\nlocation: westeurope\nsubscriptionId: " + OtherSubscription + "\n", additionalSubscriptions: [OtherSubscription]);

        AssertNoErrors(result);
        var group = result.Resources.Single();
        Assert.Equal($"/subscriptions/{OtherSubscription}/resourceGroups/rg-app", group.Id);
        Assert.Null(group.ResourceGroup);
        Assert.Equal(OtherSubscription, group.SubscriptionId);
    }

    [Fact]
    public void Resource_Group_With_A_Resource_Group_Or_No_Location_Is_Refused()
    {
        var withGroup = LoadSingle("type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-app\nresourceGroup: rg-other\nlocation: westeurope\n");
        var withoutLocation = LoadSingle("type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-app\n");

        AssertAt(Single(withGroup.Diagnostics, DiagnosticCodes.InvalidValue), "main.yaml", 3, 16);
        AssertAt(Single(withoutLocation.Diagnostics, DiagnosticCodes.MissingField), "main.yaml", 1, 1);
    }

    [Theory]
    [InlineData("type", "name: stapp01\nresourceGroup: rg-app\n")]
    [InlineData("name", "type: Microsoft.Storage/storageAccounts@2023-05-01\nresourceGroup: rg-app\n")]
    [InlineData("resourceGroup", "type: Microsoft.Storage/storageAccounts@2023-05-01\nname: stapp01\n")]
    public void Missing_Required_Fields_Are_Reported_At_The_Document(string field, string yaml)
    {
        var result = LoadSingle("# leading comment\n" + yaml);

        var error = Single(result.Diagnostics, DiagnosticCodes.MissingField);
        AssertAt(error, "main.yaml", 2, 1);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_Subscription_Without_Default_Is_Reported()
    {
        var result = LoadSingle(StorageAccount, subscriptionId: null);

        var error = Single(result.Diagnostics, DiagnosticCodes.MissingField);
        AssertAt(error, "main.yaml", 1, 1);
        Assert.Contains("subscriptionId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_Subscription_Overrides_The_Default_And_Must_Be_A_Guid()
    {
        var good = LoadSingle(StorageAccount + $"\nsubscriptionId: {OtherSubscription}\n", subscriptionId: null, additionalSubscriptions: [OtherSubscription]);
        var bad = LoadSingle(StorageAccount + "\nsubscriptionId: my-sub\n");

        AssertNoErrors(good);
        Assert.StartsWith($"/subscriptions/{OtherSubscription}/", good.Resources.Single().Id, StringComparison.Ordinal);
        AssertAt(Single(bad.Diagnostics, DiagnosticCodes.InvalidValue), "main.yaml", 10, 17);
    }

    [Theory]
    [InlineData("- just\n- a list\n", 1, 1)]
    [InlineData("just text\n", 1, 1)]
    public void Non_Map_Document_Is_An_Error(string yaml, int line, int column)
    {
        var result = LoadSingle(yaml);

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.InvalidValue), "main.yaml", line, column);
    }

    [Theory]
    [InlineData("reconcile: { policy: ignore }", 10, 22, "manage, observe, detach")]
    [InlineData("reconcile: { onDelete: keep }", 10, 24, "delete, detach")]
    [InlineData("reconcile: { ignore: [ properties/networkAcls ] }", 10, 24, "JSON pointer")]
    [InlineData("reconcile: { ignore: /properties }", 10, 22, "must be a list")]
    [InlineData("reconcile: manage", 10, 12, "must be a map")]
    [InlineData("dependsOn: Microsoft.Resources/resourceGroups/rg-app", 10, 12, "must be a list")]
    public void Bad_Reconcile_And_DependsOn_Shapes_Are_Reported(string line, int expectedLine, int expectedColumn, string expected)
    {
        var result = LoadSingle(StorageAccount.Replace("reconcile: { policy: observe, ignore: [ /properties/networkAcls ], onDelete: detach }", "tags: { a: b }", StringComparison.Ordinal)
            .Replace("tags: { owner: platform }\n", string.Empty, StringComparison.Ordinal) + "\n" + line + "\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        Assert.Equal(new SourceLocation("main.yaml", expectedLine - 1, expectedColumn), error.Location);
        Assert.Contains(expected, error.Message + error.Hint, StringComparison.Ordinal);
    }
}
