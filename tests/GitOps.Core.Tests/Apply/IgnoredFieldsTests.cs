using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Core.Tests.Apply;

public sealed class IgnoredFieldsTests
{
    [Fact]
    public void Live_Value_Of_An_Ignored_Path_Replaces_The_Declared_One()
    {
        var desired = JsonNode.Parse("""{"properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[]}}""")!.AsObject();
        var live = JsonNode.Parse("""{"id":"x","properties":{"addressSpace":{"addressPrefixes":["10.9.0.0/16"]},"subnets":[{"name":"default"}]}}""")!.AsObject();

        var body = IgnoredFields.Preserve(desired, live, ["/properties/subnets"]);

        Assert.Equal("""[{"name":"default"}]""", body["properties"]!["subnets"]!.ToJsonString());
        Assert.Equal("10.0.0.0/16", body["properties"]!["addressSpace"]!["addressPrefixes"]![0]!.GetValue<string>());
        Assert.Equal("[]", desired["properties"]!["subnets"]!.ToJsonString()); // the declaration is not mutated
    }

    [Fact]
    public void Ignored_Path_Missing_In_Live_Is_Left_Out_Of_The_Request_And_Parents_Are_Created()
    {
        var desired = JsonNode.Parse("""{"tags":{"a":"1"},"properties":{"networkAcls":{"defaultAction":"Deny"}}}""")!.AsObject();
        var live = JsonNode.Parse("""{"tags":{"a":"1","managed~by":"policy"}}""")!.AsObject();

        var body = IgnoredFields.Preserve(desired, live, ["/properties/networkAcls", "/tags/managed~0by"]);

        Assert.False(body["properties"]!.AsObject().ContainsKey("networkAcls"));
        Assert.Equal("policy", body["tags"]!["managed~by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Applier_Sends_Live_Values_Of_Ignored_Paths_On_Update()
    {
        var arm = new FakeArmClient();
        const string id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet";
        var resource = new DeclaredResource
        {
            Id = id,
            Type = "Microsoft.Network/virtualNetworks",
            ApiVersion = "2024-05-01",
            Name = "vnet",
            Body = JsonNode.Parse("""{"location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.1.0.0/16"]}}}""")!.AsObject(),
            Reconcile = ReconcileSettings.Default with { Ignore = ["/properties/subnets"] },
        };
        var live = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase)
        {
            [id] = JsonNode.Parse("""{"id":"x","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet-app"}]}}""")!.AsObject(),
        };
        var change = new ResourceChange { Id = id, Type = resource.Type, ApiVersion = resource.ApiVersion, Action = PlanAction.Update, Desired = resource };

        var result = await new Applier(arm).ApplyAsync(new PlanResult("test", [change], []), ResourceInventory.Empty, live);

        Assert.True(result.Succeeded);
        var sent = (await arm.GetAsync(id, "2024-05-01"))!.Body;
        Assert.Equal("snet-app", sent["properties"]!["subnets"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("10.1.0.0/16", sent["properties"]!["addressSpace"]!["addressPrefixes"]![0]!.GetValue<string>());
    }
}
