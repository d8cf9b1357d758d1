using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class ArrayTests
{
    private const string NsgType = "Microsoft.Network/networkSecurityGroups";
    private static readonly string Id = $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/{NsgType}/nsg-app";

    private static readonly string Rules = """
        {"properties":{"securityRules":[
          {"name":"allow-https","properties":{"priority":100,"access":"Allow","destinationPortRange":"443"}},
          {"name":"allow-ssh","properties":{"priority":110,"access":"Allow","destinationPortRange":"22"}},
          {"name":"deny-all","properties":{"priority":4096,"access":"Deny","destinationPortRange":"*"}}]}}
        """;

    private static ResourceChange PlanNsg(string live, ReconcileSettings? settings = null) =>
        PlanOne(Resource(Id, Rules, type: NsgType, reconcile: settings), live);

    [Fact]
    public void Named_Elements_Match_By_Name_In_Any_Order_And_Casing_Ignoring_Server_Fields()
    {
        var live = """
            {"properties":{"provisioningState":"Succeeded","securityRules":[
              {"name":"DENY-ALL","id":"/x/3","etag":"W/1","properties":{"provisioningState":"Succeeded","priority":4096,"access":"Deny","destinationPortRange":"*","protocol":"*"}},
              {"name":"allow-https","id":"/x/1","properties":{"priority":100,"access":"Allow","destinationPortRange":"443"}},
              {"name":"allow-ssh","id":"/x/2","properties":{"priority":110,"access":"Allow","destinationPortRange":"22"}}],
              "defaultSecurityRules":[{"name":"AllowVnetInBound","properties":{"priority":65000}}]}}
            """;
        Assert.Equal(PlanAction.Noop, PlanNsg(live).Action);
    }

    [Fact]
    public void Difference_Inside_A_Named_Element_Uses_The_Declared_Index()
    {
        var live = """
            {"properties":{"securityRules":[
              {"name":"allow-ssh","properties":{"priority":110,"access":"Deny","destinationPortRange":"22"}},
              {"name":"deny-all","properties":{"priority":4096,"access":"Deny","destinationPortRange":"*"}},
              {"name":"allow-https","properties":{"priority":100,"access":"Allow","destinationPortRange":"443"}}]}}
            """;
        var change = PlanNsg(live);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/securityRules/1/properties/access", diff.Path);
        Assert.Equal("Allow", diff.Desired!.GetValue<string>());
        Assert.Equal("Deny", diff.Live!.GetValue<string>());
    }

    [Fact]
    public void Missing_Named_Element_Is_Drift_At_Its_Declared_Index()
    {
        var live = """
            {"properties":{"securityRules":[
              {"name":"allow-https","properties":{"priority":100,"access":"Allow","destinationPortRange":"443"}},
              {"name":"allow-ssh","properties":{"priority":110,"access":"Allow","destinationPortRange":"22"}}]}}
            """;
        var change = PlanNsg(live);
        Assert.Equal(PlanAction.Update, change.Action);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/securityRules/2", diff.Path);
        Assert.Equal("deny-all", diff.Desired!["name"]!.GetValue<string>());
        Assert.Null(diff.Live);
    }

    [Fact]
    public void Extra_Named_Live_Element_Is_Drift_At_The_Append_Pointer()
    {
        var live = """
            {"properties":{"securityRules":[
              {"name":"allow-https","properties":{"priority":100,"access":"Allow","destinationPortRange":"443"}},
              {"name":"allow-rdp","properties":{"priority":120,"access":"Allow","destinationPortRange":"3389"}},
              {"name":"allow-ssh","properties":{"priority":110,"access":"Allow","destinationPortRange":"22"}},
              {"name":"deny-all","properties":{"priority":4096,"access":"Deny","destinationPortRange":"*"}}]}}
            """;
        var change = PlanNsg(live);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/securityRules/-", diff.Path);
        Assert.Null(diff.Desired);
        Assert.Equal("allow-rdp", diff.Live!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Ignored_Named_Element_Is_Skipped() =>
        Assert.Equal(PlanAction.Noop, PlanNsg(
            """
            {"properties":{"securityRules":[
              {"name":"allow-https","properties":{"priority":100,"access":"Allow","destinationPortRange":"443"}},
              {"name":"allow-ssh","properties":{"priority":999,"access":"Deny","destinationPortRange":"22"}},
              {"name":"deny-all","properties":{"priority":4096,"access":"Deny","destinationPortRange":"*"}}]}}
            """,
            Settings(ignore: "/properties/securityRules/1")).Action);

    [Fact]
    public void Unnamed_Object_Arrays_Compare_In_Order_Inside_Declared_Keys()
    {
        var resource = Resource(StorageId("st1"), """{"properties":{"networkAcls":{"ipRules":[{"value":"1.2.3.4"},{"value":"5.6.7.8"}]}}}""");
        Assert.Equal(PlanAction.Noop, PlanOne(resource, """{"properties":{"networkAcls":{"ipRules":[{"value":"1.2.3.4","action":"Allow"},{"value":"5.6.7.8","action":"Allow"}]}}}""").Action);

        var swapped = PlanOne(resource, """{"properties":{"networkAcls":{"ipRules":[{"value":"5.6.7.8"},{"value":"1.2.3.4"}]}}}""");
        Assert.Equal(["/properties/networkAcls/ipRules/0/value", "/properties/networkAcls/ipRules/1/value"], Paths(swapped));
    }

    [Fact]
    public void Arrays_Of_Different_Length_Differ_As_A_Whole()
    {
        var resource = Resource(StorageId("st1"), """{"properties":{"addressPrefixes":["10.0.0.0/16"]}}""");
        var change = PlanOne(resource, """{"properties":{"addressPrefixes":["10.0.0.0/16","10.1.0.0/16"]}}""");
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/addressPrefixes", diff.Path);
        Assert.Equal(2, diff.Live!.AsArray().Count);
    }

    [Fact]
    public void Scalar_Arrays_Compare_Element_Wise_With_The_Scalar_Rules()
    {
        var resource = Resource(StorageId("st1"), """{"properties":{"subnetIds":["/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/v/subnets/a"],"zones":["1","2"]}}""");
        Assert.Equal(PlanAction.Noop, PlanOne(resource, """{"properties":{"subnetIds":["/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v/subnets/a"],"zones":["1","2"]}}""").Action);
        Assert.Equal(["/properties/zones/1"], Paths(PlanOne(resource, """{"properties":{"subnetIds":["/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/v/subnets/a"],"zones":["1","3"]}}""")));
    }

    [Fact]
    public void Declared_Empty_Array_Against_Live_Elements_Is_Drift()
    {
        var change = PlanOne(Resource(StorageId("st1"), """{"properties":{"ipRules":[]}}"""), """{"properties":{"ipRules":[{"value":"1.2.3.4"}]}}""");
        Assert.Equal(["/properties/ipRules"], Paths(change));
    }
}
