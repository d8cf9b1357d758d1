using System.Text.Json.Nodes;
using GitOps.Core.Planning;

namespace GitOps.Schemas.Tests;

/// <summary>Loaded with the real catalogue, a resource is planned by the catalogue's flags.</summary>
public sealed class CataloguePlanTests
{
    private static readonly string Storage =
        Load.StorageAccount.Replace("accessTier: Hot", "accessTier: hot", StringComparison.Ordinal) + "\n  provisioningState: Succeeded\n";

    private static ResourceChange PlanAgainst(string live)
    {
        var resource = Load.Single(Storage).Resources.Single();
        return Assert.Single(Planner.Plan(new PlanInput
        {
            Environment = "test",
            Desired = [resource],
            Live = new Dictionary<string, JsonObject> { [resource.Id] = JsonNode.Parse(live)!.AsObject() },
        }).Changes);
    }

    [Fact]
    public void Declared_Read_Only_Property_Is_Not_Sent_Nor_Drift()
    {
        var resource = Load.Single(Storage).Resources.Single();

        Assert.False(resource.Body["properties"]!.AsObject().ContainsKey("provisioningState"));
        Assert.Equal(PlanAction.Noop, PlanAgainst("""
            {"location":"westeurope","sku":{"name":"Standard_ZRS","tier":"Standard"},"kind":"StorageV2",
             "properties":{"accessTier":"Hot","provisioningState":"ResolvingDNS"}}
            """).Action);
    }

    [Fact]
    public void Enum_Casing_Is_No_Drift_But_Another_Value_Is()
    {
        var change = PlanAgainst("""
            {"location":"westeurope","sku":{"name":"Standard_ZRS"},"kind":"StorageV2","properties":{"accessTier":"Cool"}}
            """);

        Assert.Equal(PlanAction.Update, change.Action);
        Assert.Equal("/properties/accessTier", Assert.Single(change.Diffs).Path);
    }
}
