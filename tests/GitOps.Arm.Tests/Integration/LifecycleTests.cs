using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

/// <summary>What happens to a live environment over time: portal edits, deletions, git edits, adoption, detect mode.</summary>
[Trait("Category", "Integration")]
public sealed class LifecycleTests
{
    [Fact]
    public async Task Portal_Edits_To_A_Rule_And_A_Tag_Are_Reported_Per_Field_And_Reverted()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree());
        Assert.True((await harness.ApplyAsync(loaded)).Applied.Succeeded);

        // The portal sends the whole rule list back, with the server's fields, and one priority changed.
        var rules = harness.Sim.GetResource(NsgId)!["properties"]!["securityRules"]!.DeepClone().AsArray();
        var https = rules.Single(r => r!["name"]!.GetValue<string>() == "allow-https")!;
        https["properties"]!["priority"] = 150;
        Assert.True(harness.Sim.SetOutOfBand(NsgId, new JsonObject
        {
            ["properties"] = new JsonObject { ["securityRules"] = new JsonArray(rules.Reverse().Select(r => r!.DeepClone()).ToArray()) },
        }));

        // The storage account declares its tags, so it owns the whole map: an added tag is drift (the PUT removes it).
        Assert.True(harness.Sim.SetOutOfBand(StorageId, new JsonObject { ["tags"] = new JsonObject { ["createdBy"] = "portal" } }));

        var plan = await harness.PlanAsync(loaded);

        var rule = plan.Change(NsgId);
        Assert.Equal(PlanAction.Update, rule.Action);
        var priority = Assert.Single(rule.Diffs);

        // Indexes are the declared ones, wherever Azure lists the rule.
        Assert.Equal("/properties/securityRules/0/properties/priority", priority.Path);
        Assert.Equal("100", priority.Desired!.ToJsonString());
        Assert.Equal("150", priority.Live!.ToJsonString());
        var tag = Assert.Single(plan.Change(StorageId).Diffs);
        Assert.Equal("/tags/createdBy", tag.Path);
        Assert.Null(tag.Desired);
        Assert.Equal("portal", tag.Live!.GetValue<string>());
        Assert.Equal(AllIds.Length - 2, plan.Summary.Noop);

        Assert.True((await harness.ApplyAsync(loaded)).Applied.Succeeded);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }

    [Fact]
    public async Task A_Resource_Deleted_Out_Of_Band_Is_Recreated()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree());
        Assert.True((await harness.ApplyAsync(loaded)).Applied.Succeeded);
        Assert.True(harness.Sim.DeleteOutOfBand(StorageId));

        var run = await harness.ApplyAsync(loaded);

        // The storage account is recreated; the role assignment went with it (an extension resource) and is too.
        Assert.Equal(PlanAction.Create, run.Plan.Change(StorageId).Action);
        Assert.Equal(PlanAction.Create, run.Plan.Change(RoleAssignmentId).Action);
        Assert.True(run.Applied.Succeeded);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }

    [Fact]
    public async Task A_Changed_Write_Only_Secret_Is_An_Update_With_A_Redacted_Diff_Then_Converges()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        Assert.True((await harness.ApplyAsync(ReconcileHarness.Load(Tree()))).Applied.Succeeded);
        var rotated = Tree();
        rotated.Add("gitops.yaml", System.Text.Encoding.UTF8.GetString(rotated.ReadFile("gitops.yaml").Span)
            .Replace("S3cret-Value-Never-Logged!", "An0ther-Secret-Value!", StringComparison.Ordinal));
        var loaded = ReconcileHarness.Load(rotated);

        var run = await harness.ApplyAsync(loaded);

        var change = run.Plan.Change(SqlServerId);
        Assert.Equal(PlanAction.Update, change.Action);
        Assert.Equal(PlanReasons.DeclarationChanged, change.Reason);
        var diff = Assert.Single(change.Diffs, d => d.Path == "/properties/administratorLoginPassword");
        Assert.True(diff.Redacted);
        Assert.DoesNotContain("An0ther", PlanJson.Serialize(run.Plan), StringComparison.Ordinal);
        Assert.Equal(1, run.Applied.Writes);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }

    [Fact]
    public async Task Matching_Resources_Are_Adopted_Without_Writes_And_Can_Then_Be_Pruned()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree());

        // Someone created everything by hand, exactly as declared (an apply that keeps no inventory).
        var other = new Applier(harness.Client);
        var create = Planner.Plan(new PlanInput { Environment = "manual", Desired = loaded.Resources, Live = new Dictionary<string, JsonObject>() });
        Assert.True((await other.ApplyAsync(create, Core.Inventory.ResourceInventory.Empty)).Succeeded);
        harness.Sim.ClearRequests();

        var adopt = await harness.ApplyAsync(loaded);

        Assert.All(adopt.Plan.Changes, c => Assert.Equal(PlanReasons.Adopted, c.Reason));
        Assert.DoesNotContain(harness.Sim.Requests, r => r.IsWrite());
        Assert.Equal(AllIds.Length, harness.Inventory.Entries.Count);

        var pruned = await harness.ApplyAsync(ReconcileHarness.Load(Tree(omit: [SqlServer])));
        Assert.Equal(PlanAction.Delete, pruned.Plan.Change(SqlServerId).Action);
        Assert.True(pruned.Applied.Succeeded);
        Assert.Null(harness.Sim.GetResource(SqlServerId));
    }

    [Fact]
    public async Task A_Half_Created_Resource_Removed_From_Git_Is_Pruned()
    {
        await using var harness = await ReconcileHarness.StartAsync(o => o.AsyncStyles["Microsoft.Sql/servers"] = ArmAsyncStyle.Failed);
        var first = await harness.ApplyAsync(ReconcileHarness.Load(Tree()));
        Assert.Equal(ResourceOutcome.Failed, first.Result(SqlServerId).Outcome);
        Assert.NotNull(harness.Sim.GetResource(SqlServerId));
        Assert.True(harness.Inventory.Contains(SqlServerId));

        harness.Sim.SetAsyncStyle("Microsoft.Sql/servers", ArmAsyncStyle.Synchronous);
        var run = await harness.ApplyAsync(ReconcileHarness.Load(Tree(omit: [SqlServer])));

        Assert.Equal(PlanAction.Delete, run.Plan.Change(SqlServerId).Action);
        Assert.True(run.Applied.Succeeded);
        Assert.Null(harness.Sim.GetResource(SqlServerId));
        Assert.Equal(SqlApi, Assert.Single(harness.Sim.Requests, r => r.Method == "DELETE").ApiVersion);
    }

    [Fact]
    public async Task Detect_Mode_Reports_Drift_And_Writes_Nothing()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        Assert.True((await harness.ApplyAsync(ReconcileHarness.Load(Tree()))).Applied.Succeeded);
        Assert.True(harness.Sim.SetOutOfBand(StorageId, new JsonObject { ["properties"] = new JsonObject { ["allowBlobPublicAccess"] = true } }));
        var detect = Tree();
        detect.Add("gitops.yaml", System.Text.Encoding.UTF8.GetString(detect.ReadFile("gitops.yaml").Span)
            .Replace("    prune:", "    drift: { interval: 1h, mode: detect }\n    prune:", StringComparison.Ordinal));
        var loaded = ReconcileHarness.Load(detect);
        harness.Sim.ClearRequests();

        var run = await harness.ApplyAsync(loaded);

        var change = run.Plan.Change(StorageId);
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal("/properties/allowBlobPublicAccess", Assert.Single(change.Diffs).Path);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.IsWrite());
        Assert.True(harness.Sim.GetResource(StorageId)!["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());
    }
}
