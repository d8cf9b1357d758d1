using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class RedactionTests
{
    private const string SqlType = "Microsoft.Sql/servers";
    private static readonly string SqlId = $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/{SqlType}/sql-app";
    private const string Secret = "Sup3r-S3cret!";

    private static void AssertNoSecret(PlanResult result)
    {
        foreach (var diff in result.Changes.SelectMany(c => c.Diffs))
        {
            Assert.DoesNotContain(Secret, diff.Desired?.ToJsonString() ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, diff.Live?.ToJsonString() ?? string.Empty, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Secret_Is_Never_Diffed_Against_Azure()
    {
        var resource = Resource(SqlId, """{"properties":{"administratorLogin":"admin","administratorLoginPassword":"Sup3r-S3cret!"}}""", type: SqlType);
        var change = PlanOne(resource, """{"properties":{"administratorLogin":"admin","administratorLoginPassword":"something-else"}}""");
        Assert.Equal(PlanAction.Noop, change.Action);
    }

    [Fact]
    public void Plan_Detects_Secret_Change_Through_Digest_And_Redacts_It()
    {
        var type = "Microsoft.KeyVault/vaults/secrets";
        var id = $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv/secrets/db";
        var applied = Resource(id, """{"properties":{"value":"old-value"}}""", type: type);
        var now = Resource(id, """{"properties":{"value":"Sup3r-S3cret!"}}""", type: type);

        var result = Plan([now], new Dictionary<string, JsonObject> { [id] = Json("""{"properties":{"secretUri":"https://kv.vault.azure.net/secrets/db"}}""") }, [EntryFor(applied)]);

        var change = Assert.Single(result.Changes);
        Assert.Equal(PlanAction.Update, change.Action);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/value", diff.Path);
        Assert.True(diff.Redacted);
        Assert.Equal(SecretProperties.RedactedMarker, diff.Desired!.GetValue<string>());
        Assert.Null(diff.Live);
        AssertNoSecret(result);
    }

    [Theory]
    [InlineData("Microsoft.Compute/virtualMachines", "adminPassword")]
    [InlineData("Microsoft.Sql/servers", "administratorLoginPassword")]
    [InlineData("Microsoft.Network/connections", "sharedKey")]
    [InlineData("Microsoft.ContainerService/managedClusters", "secret")]
    [InlineData("Microsoft.Web/sites", "connectionString")]
    [InlineData("Microsoft.Anything/else", "password")]
    [InlineData("Microsoft.Anything/else", "primaryKey")]
    [InlineData("Microsoft.Anything/else", "secondaryKey")]
    [InlineData("Microsoft.KeyVault/vaults/secrets", "value")]
    [InlineData("Microsoft.Network/applicationGateways", "data")]
    [InlineData("Microsoft.Web/certificates", "pfxBlob")]
    [InlineData("Microsoft.Compute/virtualMachines/extensions", "protectedSettings")]
    public void Known_Write_Only_Secrets_Are_In_The_Table(string type, string name) =>
        Assert.True(SecretProperties.IsSecret(type, name));

    [Fact]
    public void Value_Is_Not_A_Secret_For_Other_Types()
    {
        Assert.True(SecretProperties.IsSecret("Microsoft.KeyVault/vaults/secrets", "value"));
        Assert.False(SecretProperties.IsSecret("Microsoft.Network/networkSecurityGroups", "value"));
        Assert.True(SecretProperties.IsSecret("Microsoft.Anything/else", "ClientSecret"));
    }

    [Fact]
    public void Secret_Inside_A_Missing_Named_Element_Is_Redacted()
    {
        var type = "Microsoft.Network/applicationGateways";
        var id = $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/{type}/agw";
        var resource = Resource(id, """{"properties":{"sslCertificates":[{"name":"cert","properties":{"data":"Sup3r-S3cret!","password":"Sup3r-S3cret!"}}]}}""", type: type);

        var result = Plan([resource], new Dictionary<string, JsonObject> { [id] = Json("""{"properties":{"sslCertificates":[]}}""") });

        var diff = Assert.Single(Assert.Single(result.Changes).Diffs);
        Assert.Equal("/properties/sslCertificates/0", diff.Path);
        Assert.True(diff.Redacted);
        Assert.Equal("cert", diff.Desired!["name"]!.GetValue<string>());
        Assert.Equal(SecretProperties.RedactedMarker, diff.Desired["properties"]!["password"]!.GetValue<string>());
        AssertNoSecret(result);
        Assert.Equal(Secret, resource.Body["properties"]!["sslCertificates"]![0]!["properties"]!["password"]!.GetValue<string>());
    }

    [Fact]
    public void Secret_Leaked_By_Azure_In_An_Extra_Element_Is_Redacted()
    {
        var resource = Resource(SqlId, """{"properties":{"rules":[{"name":"a","properties":{"x":1}}]}}""", type: SqlType);
        var live = """{"properties":{"rules":[{"name":"a","properties":{"x":1}},{"name":"b","properties":{"connectionString":"Sup3r-S3cret!"}}]}}""";

        var result = Plan([resource], new Dictionary<string, JsonObject> { [SqlId] = Json(live) });

        var diff = Assert.Single(Assert.Single(result.Changes).Diffs);
        Assert.Equal("/properties/rules/-", diff.Path);
        Assert.True(diff.Redacted);
        AssertNoSecret(result);
    }

    [Fact]
    public void Secret_Object_Declared_But_Not_Returned_Shows_Only_The_Marker()
    {
        var type = "Microsoft.Compute/virtualMachines/extensions";
        var id = $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm/extensions/script";
        var applied = Resource(id, """{"properties":{"protectedSettings":{"commandToExecute":"old"}}}""", type: type);
        var now = Resource(id, """{"properties":{"protectedSettings":{"commandToExecute":"Sup3r-S3cret!"}}}""", type: type);

        var result = Plan([now], new Dictionary<string, JsonObject> { [id] = Json("""{"properties":{}}""") }, [EntryFor(applied)]);

        var diff = Assert.Single(Assert.Single(result.Changes).Diffs);
        Assert.Equal("/properties/protectedSettings", diff.Path);
        Assert.True(diff.Redacted);
        AssertNoSecret(result);
    }
}
