using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Manifests;

namespace GitOps.Core.Tests.Runs;

/// <summary>
/// The typed plan against the JSON already in storage: <c>testdata/run-record-v1.json</c> and <c>plan-v1.json</c>
/// were written by the JsonObject-based RunRecord.Plan and PlanJson (commit 274292f) from the plan built here.
/// </summary>
public sealed class RecordedPlanJsonTests
{
    private const string Group = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-app";

    private static string TestData(string name) =>
        File.ReadAllText(Path.Combine(ManifestTestSupport.RepositoryRoot(), "tests", "GitOps.Core.Tests", "Runs", "testdata", name));

    // The plan the test data was produced from, unchanged.
    private static PlanResult StoredPlan() => new(
        "prod",
        [
            new ResourceChange { Id = Group, Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2024-03-01", Action = PlanAction.Noop },
            new ResourceChange
            {
                Id = Group + "/providers/Microsoft.Storage/storageAccounts/stapp01",
                Type = "Microsoft.Storage/storageAccounts",
                ApiVersion = "2023-05-01",
                Action = PlanAction.Update,
                Reason = "declaration changed since last apply",
                Diffs =
                [
                    new FieldDiff("/properties/minimumTlsVersion", JsonValue.Create("TLS1_2"), JsonValue.Create("TLS1_0")),
                    new FieldDiff("/tags/owner", null, JsonValue.Create("<someone>")),
                    new FieldDiff("/properties/networkAcls", new JsonObject { ["defaultAction"] = "Deny", ["ipRules"] = new JsonArray(1, 2) }, null),
                ],
            },
            new ResourceChange
            {
                Id = Group + "/providers/Microsoft.Sql/servers/sql01",
                Type = "Microsoft.Sql/servers",
                ApiVersion = "2023-08-01",
                Action = PlanAction.Drift,
                Reason = "policy: observe",
                Diffs = [new FieldDiff("/properties/administratorLoginPassword", JsonValue.Create(SecretProperties.RedactedMarker), JsonValue.Create(SecretProperties.RedactedMarker), true)],
            },
            new ResourceChange { Id = Group + "/providers/Microsoft.Network/virtualNetworks/vnet01", Type = "Microsoft.Network/virtualNetworks", ApiVersion = "2024-01-01", Action = PlanAction.Create },
            new ResourceChange { Id = Group + "/providers/Microsoft.Network/networkSecurityGroups/nsg-old", Type = "Microsoft.Network/networkSecurityGroups", ApiVersion = "2024-01-01", Action = PlanAction.Delete },
            new ResourceChange { Id = Group + "/providers/Microsoft.Network/publicIPAddresses/pip01", Type = "Microsoft.Network/publicIPAddresses", ApiVersion = "2024-01-01", Action = PlanAction.Detach, Reason = "onDelete: detach" },
        ],
        ["prune deleted 1 resource(s)"]);

    [Fact]
    public void A_Stored_Run_Record_Reads_Into_The_Typed_Plan()
    {
        var run = RunJson.DeserializeRun(TestData("run-record-v1.json"));

        var plan = Assert.IsType<RecordedPlan>(run.Plan);
        Assert.Equal("prod", plan.Environment);
        Assert.Equal(
            [PlanAction.Noop, PlanAction.Update, PlanAction.Drift, PlanAction.Create, PlanAction.Delete, PlanAction.Detach],
            plan.Changes.Select(c => c.Action));
        Assert.Equal(new PlanSummary(Create: 1, Update: 1, Delete: 1, Detach: 1, Noop: 1, Drift: 1), plan.Summary);
        Assert.Equal(["prune deleted 1 resource(s)"], plan.Notes);

        var update = plan.Changes[1];
        Assert.Equal("Microsoft.Storage/storageAccounts", update.Type);
        Assert.Equal("2023-05-01", update.ApiVersion);
        Assert.Equal("declaration changed since last apply", update.Reason);
        Assert.Equal(["/properties/minimumTlsVersion", "/tags/owner", "/properties/networkAcls"], update.Diffs.Select(d => d.Path));
        Assert.Equal("TLS1_0", update.Diffs[0].Live!.GetValue<string>());
        Assert.Null(update.Diffs[1].Desired);
        Assert.Equal("<someone>", update.Diffs[1].Live!.GetValue<string>());
        Assert.Equal("Deny", update.Diffs[2].Desired!["defaultAction"]!.GetValue<string>());
        Assert.False(update.Diffs[0].Redacted);
        Assert.True(plan.Changes[2].Diffs.Single().Redacted);
        Assert.Null(plan.Changes[0].Reason);
        Assert.Null(run.Reason);
    }

    [Fact]
    public void A_Stored_Run_Record_Is_Written_Back_Byte_For_Byte()
    {
        var stored = TestData("run-record-v1.json");

        Assert.Equal(stored, RunJson.Serialize(RunJson.DeserializeRun(stored)));
    }

    [Fact]
    public void A_New_Record_Of_The_Same_Plan_Has_The_Stored_Shape()
    {
        var stored = RunJson.DeserializeRun(TestData("run-record-v1.json"));

        var rebuilt = stored with { Plan = RecordedPlan.From(StoredPlan()) };

        Assert.Equal(TestData("run-record-v1.json"), RunJson.Serialize(rebuilt));
    }

    [Fact]
    public void Plan_Output_Json_Keeps_Its_Shape()
    {
        Assert.Equal(TestData("plan-v1.json"), PlanJson.Serialize(StoredPlan()));
    }
}
