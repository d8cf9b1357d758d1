using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;

namespace GitOps.Core.Tests.Apply;

public sealed class ApplierSecretTests
{
    private const string SqlId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1";
    private const string Url = "https://kv.vault.azure.net/secrets/sql-admin";

    private static readonly SecretReference Reference = new("/properties/administratorLoginPassword", Url);

    private static DeclaredResource Sql() => new()
    {
        Id = SqlId,
        Type = "Microsoft.Sql/servers",
        ApiVersion = "2023-08-01",
        Name = "sql1",
        Body = new JsonObject { ["properties"] = new JsonObject { ["administratorLoginPassword"] = Reference.Placeholder } },
        SecretReferences = [Reference],
    };

    private static PlanResult Plan(DeclaredResource resource) => new("test", [new ResourceChange
    {
        Id = resource.Id,
        Type = resource.Type,
        ApiVersion = resource.ApiVersion,
        Action = PlanAction.Create,
        Desired = resource,
    }], []);

    [Fact]
    public async Task The_Value_Goes_Into_The_Request_And_Never_Into_The_Declaration()
    {
        var arm = new FakeArmClient();
        var resource = Sql();
        var secrets = SecretPins.Serve(new Dictionary<string, ResolvedSecret> { [Url] = new("S3cr3t-Value-9f2c", "v1") });

        var result = await new Applier(arm, secrets: secrets).ApplyAsync(Plan(resource), ResourceInventory.Empty);

        Assert.True(result.Succeeded);
        Assert.Contains("S3cr3t-Value-9f2c", Assert.Single(arm.PutBodies).Body, StringComparison.Ordinal);
        Assert.Equal(Reference.Placeholder, resource.Body["properties"]!["administratorLoginPassword"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_A_Resolver_Nothing_Is_Sent_And_The_Error_Names_The_Secret()
    {
        var arm = new FakeArmClient();

        var result = await new Applier(arm).ApplyAsync(Plan(Sql()), ResourceInventory.Empty);

        var failed = Assert.Single(result.Results);
        Assert.Equal(ResourceOutcome.Failed, failed.Outcome);
        Assert.Equal(Applier.SecretUnavailableCode, failed.ErrorCode);
        Assert.Contains(Url, failed.Message, StringComparison.Ordinal);
        Assert.Empty(arm.PutBodies);
    }
}
