using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class DeclaredOnlyTests
{
    private static readonly string Id = StorageId("stdeclared");

    [Fact]
    public void Undeclared_Live_Fields_Are_Ignored_At_Every_Depth()
    {
        var resource = Resource(Id, """{"location":"westeurope","sku":{"name":"Standard_ZRS"},"properties":{"encryption":{"keySource":"Microsoft.Storage"}}}""");
        var live = """
            {"id":"x","name":"stdeclared","type":"Microsoft.Storage/storageAccounts","etag":"1","systemData":{"createdBy":"me"},
             "location":"westeurope","sku":{"name":"Standard_ZRS","tier":"Standard"},
             "properties":{"provisioningState":"Succeeded","creationTime":"2024-01-01T00:00:00Z",
               "encryption":{"keySource":"Microsoft.Storage","services":{"blob":{"enabled":true,"lastEnabledTime":"2024-01-01"}}}}}
            """;
        Assert.Equal(PlanAction.Noop, PlanOne(resource, live).Action);
    }

    [Theory]
    [InlineData("""{"properties":{}}""")]
    [InlineData("""{"properties":{"allowSharedKeyAccess":null}}""")]
    [InlineData("""{}""")]
    public void Declared_Value_Azure_Does_Not_Return_Is_Not_Drift(string live)
    {
        var change = PlanOne(Resource(Id, """{"properties":{"allowSharedKeyAccess":false}}"""), live);
        Assert.Equal(PlanAction.Noop, change.Action);
        Assert.Empty(change.Diffs);
    }

    [Fact]
    public void Declared_Object_Where_Azure_Has_A_Scalar_Is_Drift()
    {
        var change = PlanOne(Resource(Id, """{"properties":{"networkAcls":{"defaultAction":"Deny"}}}"""), """{"properties":{"networkAcls":"none"}}""");
        Assert.Equal(["/properties/networkAcls"], Paths(change));
    }

    [Fact]
    public void Keys_Are_Found_Case_Insensitively_When_Azure_Changes_Their_Casing()
    {
        // userAssignedIdentities keys are ids; services echo them in their own casing and add clientId/principalId.
        var resource = Resource(Id, """{"identity":{"type":"UserAssigned","userAssignedIdentities":{"/subscriptions/SUB/resourceGroups/RG-App/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app":{}}}}""".Replace("SUB", Sub, StringComparison.Ordinal));
        var live = """{"identity":{"type":"UserAssigned","userAssignedIdentities":{"/subscriptions/SUB/resourcegroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app":{"clientId":"c","principalId":"p"}}}}""".Replace("SUB", Sub, StringComparison.Ordinal);
        Assert.Equal(PlanAction.Noop, PlanOne(resource, live).Action);
    }

    [Fact]
    public void Key_Casing_Difference_Still_Compares_The_Value()
    {
        // Were the key not found, the value would count as "not returned" and hide this drift.
        var change = PlanOne(Resource(Id, """{"properties":{"MinimumTlsVersion":"TLS1_2"}}"""), """{"properties":{"minimumTlsVersion":"TLS1_0"}}""");
        Assert.Equal(["/properties/MinimumTlsVersion"], Paths(change));
    }

    [Fact]
    public void Diffs_Are_Sorted_By_Path_And_Detached_From_The_Inputs()
    {
        var resource = Resource(Id, """{"sku":{"name":"Standard_LRS"},"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_2"}}""");
        var change = PlanOne(resource, """{"sku":{"name":"Standard_GRS"},"location":"northeurope","properties":{"minimumTlsVersion":"TLS1_0"}}""");
        Assert.Equal(["/location", "/properties/minimumTlsVersion", "/sku/name"], Paths(change));
        Assert.All(change.Diffs, d => Assert.Null(d.Desired!.Parent));
        Assert.All(change.Diffs, d => Assert.Null(d.Live!.Parent));
    }

    [Fact]
    public void Ignore_Skips_The_Path_And_Everything_Under_It()
    {
        var resource = Resource(Id, """{"properties":{"networkAcls":{"defaultAction":"Deny","ipRules":[{"value":"1.1.1.1"}]},"minimumTlsVersion":"TLS1_2"}}""",
            reconcile: Settings(ignore: "/properties/networkAcls"));
        var change = PlanOne(resource, """{"properties":{"networkAcls":{"defaultAction":"Allow","ipRules":[]},"minimumTlsVersion":"TLS1_0"}}""");
        Assert.Equal(["/properties/minimumTlsVersion"], Paths(change));
    }

    [Fact]
    public void Ignore_Uses_Rfc6901_Escaping()
    {
        var resource = Resource(Id, """{"properties":{"redisConfiguration":{"maxmemory/policy":"allkeys-lru","a~b":"1"}}}""",
            reconcile: Settings(ignore: ["/properties/redisConfiguration/maxmemory~1policy", "/properties/redisConfiguration/a~0b"]));
        var change = PlanOne(resource, """{"properties":{"redisConfiguration":{"maxmemory/policy":"noeviction","a~b":"2"}}}""");
        Assert.Equal(PlanAction.Noop, change.Action);

        var unescaped = PlanOne(Resource(Id, """{"properties":{"redisConfiguration":{"maxmemory/policy":"allkeys-lru"}}}"""), """{"properties":{"redisConfiguration":{"maxmemory/policy":"noeviction"}}}""");
        Assert.Equal(["/properties/redisConfiguration/maxmemory~1policy"], Paths(unescaped));
    }

    [Fact]
    public void Ignore_Does_Not_Skip_Siblings_Sharing_A_Prefix()
    {
        var resource = Resource(Id, """{"properties":{"network":"a","networkAcls":"b"}}""", reconcile: Settings(ignore: "/properties/network"));
        Assert.Equal(["/properties/networkAcls"], Paths(PlanOne(resource, """{"properties":{"network":"x","networkAcls":"y"}}""")));
    }
}
