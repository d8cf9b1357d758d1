using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class AsyncStyleApplyTests
{
    private const string FailedCode = "StorageProvisioningFailed";

    [Theory]
    [InlineData(ArmAsyncStyle.Synchronous)]
    [InlineData(ArmAsyncStyle.AzureAsyncOperation)]
    [InlineData(ArmAsyncStyle.Location)]
    [InlineData(ArmAsyncStyle.ProvisioningState)]
    [InlineData(ArmAsyncStyle.NonStandardCreated)]
    public async Task Create_And_Prune_Converge_With_Every_Successful_Async_Style(ArmAsyncStyle style)
    {
        await using var harness = await ReconcileHarness.StartAsync(o => o.DefaultAsyncStyle = style);
        var everything = ReconcileHarness.Load(Tree());

        var created = await harness.ApplyAsync(everything);

        Assert.True(created.Applied.Succeeded, RequestLog.Describe(created.Plan) + Environment.NewLine + RequestLog.Describe(harness.Sim.Requests));
        Assert.Equal(AllIds.Length, created.Applied.Writes);
        RequestLog.AssertAllNoop(await harness.PlanAsync(everything), AllIds.Length);

        // Drift is corrected with an update in the same style.
        Assert.True(harness.Sim.SetOutOfBand(StorageId, new JsonObject { ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_0" } }));
        var corrected = await harness.ApplyAsync(everything);
        Assert.True(corrected.Applied.Succeeded, string.Join(Environment.NewLine, corrected.Applied.Results));
        Assert.Equal(PlanAction.Update, corrected.Plan.Change(StorageId).Action);
        Assert.Equal(1, corrected.Applied.Writes);
        RequestLog.AssertAllNoop(await harness.PlanAsync(everything), AllIds.Length);

        // Remove the storage account, its role assignment and the SQL server from git: prune deletes them.
        var fewer = ReconcileHarness.Load(Tree(omit: [Storage, RoleAssignment, SqlServer]));
        var pruned = await harness.ApplyAsync(fewer);

        Assert.True(pruned.Applied.Succeeded, RequestLog.Describe(pruned.Plan) + Environment.NewLine + RequestLog.Describe(harness.Sim.Requests));
        Assert.Equal(3, pruned.Plan.Summary.Delete);
        Assert.Null(harness.Sim.GetResource(StorageId));
        Assert.Null(harness.Sim.GetResource(RoleAssignmentId));
        Assert.Null(harness.Sim.GetResource(SqlServerId));
        Assert.Equal(AllIds.Length - 3, harness.Inventory.Entries.Count);
        RequestLog.AssertAllNoop(await harness.PlanAsync(fewer), AllIds.Length - 3);

        // Polls follow the operation URLs the simulator handed out; they carry the request's api-version.
        var log = harness.Sim.Requests;
        var polls = log.Where(r => r.Path.Contains("/operationStatuses/", StringComparison.OrdinalIgnoreCase)
            || r.Path.Contains("/operationResults/", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.All(polls, p => Assert.Contains(p.ApiVersion, ApiVersions.Values));
        switch (style)
        {
            case ArmAsyncStyle.AzureAsyncOperation:
                Assert.Contains(polls, p => p.Path.Contains("/operationStatuses/", StringComparison.OrdinalIgnoreCase));
                break;
            case ArmAsyncStyle.Location:
                Assert.Contains(polls, p => p.Path.Contains("/operationResults/", StringComparison.OrdinalIgnoreCase));
                break;
            case ArmAsyncStyle.ProvisioningState:
                // The client watched the resource itself: more than the observer's single GET.
                Assert.True(log.To("GET", StorageId).Count > 3, RequestLog.Describe(log));
                break;
        }

        Assert.All(log.Where(r => r.Method is "PUT" or "DELETE"), r => Assert.Equal(ApiVersions[ApiVersions.Keys.Single(r.IsFor)], r.ApiVersion));
    }

    [Fact]
    public async Task Failed_Create_Records_The_Arm_Code_And_Correlation_Id_And_Skips_Only_Dependents()
    {
        await using var harness = await ReconcileHarness.StartAsync(o =>
        {
            o.AsyncStyles["Microsoft.Storage/storageAccounts"] = ArmAsyncStyle.Failed;
            o.FailedOperationErrorCode = FailedCode;
        });
        var loaded = ReconcileHarness.Load(Tree());

        var run = await harness.ApplyAsync(loaded);

        Assert.False(run.Applied.Succeeded);
        var storage = run.Result(StorageId);
        Assert.Equal(ResourceOutcome.Failed, storage.Outcome);
        Assert.Equal(FailedCode, storage.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(storage.CorrelationId));
        var role = run.Result(RoleAssignmentId);
        Assert.Equal(ResourceOutcome.Skipped, role.Outcome);
        Assert.Equal(Applier.DependencyFailedCode, role.ErrorCode);
        foreach (var id in new[] { GroupId, VnetId, SubnetId, NsgId, SqlServerId })
        {
            Assert.Equal(ResourceOutcome.Succeeded, run.Result(id).Outcome);
            Assert.NotNull(harness.Sim.GetResource(id));
        }

        Assert.Empty(harness.Sim.Requests.To("PUT", RoleAssignmentId));

        // A failed create stays in the inventory (it may exist half-way), so prune can still find it.
        Assert.True(harness.Inventory.Contains(StorageId));
        Assert.False(harness.Inventory.Contains(RoleAssignmentId));

        // Once the provider works again, the next run finishes the job.
        harness.Sim.SetAsyncStyle("Microsoft.Storage/storageAccounts", ArmAsyncStyle.Synchronous);
        var retry = await harness.ApplyAsync(loaded);
        Assert.True(retry.Applied.Succeeded, RequestLog.Describe(retry.Plan));
        Assert.Equal(PlanAction.Create, retry.Plan.Change(RoleAssignmentId).Action);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }

    [Fact]
    public async Task Failed_Delete_Records_The_Arm_Code_Keeps_The_Inventory_Entry_And_Is_Retried()
    {
        await using var harness = await ReconcileHarness.StartAsync(o => o.FailedOperationErrorCode = FailedCode);
        Assert.True((await harness.ApplyAsync(ReconcileHarness.Load(Tree()))).Applied.Succeeded);
        harness.Sim.SetAsyncStyle("Microsoft.Storage/storageAccounts", ArmAsyncStyle.Failed);
        var fewer = ReconcileHarness.Load(Tree(omit: [Storage, RoleAssignment]));

        var run = await harness.ApplyAsync(fewer);

        var storage = run.Result(StorageId);
        Assert.Equal(ResourceOutcome.Failed, storage.Outcome);
        Assert.Equal(FailedCode, storage.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(storage.CorrelationId));
        Assert.Equal(ResourceOutcome.Succeeded, run.Result(RoleAssignmentId).Outcome);
        Assert.True(harness.Inventory.Contains(StorageId));
        Assert.False(harness.Inventory.Contains(RoleAssignmentId));

        harness.Sim.SetAsyncStyle("Microsoft.Storage/storageAccounts", ArmAsyncStyle.Synchronous);
        var retry = await harness.ApplyAsync(fewer);
        Assert.True(retry.Applied.Succeeded, RequestLog.Describe(retry.Plan));
        Assert.Equal(PlanAction.Delete, retry.Plan.Change(StorageId).Action);
        Assert.Null(harness.Sim.GetResource(StorageId));
        Assert.False(harness.Inventory.Contains(StorageId));
    }

    [Fact]
    public async Task A_Failed_Update_Is_Applied_Again_Next_Run_Even_When_Azure_Kept_The_New_Body()
    {
        await using var harness = await ReconcileHarness.StartAsync(o => o.FailedOperationErrorCode = FailedCode);
        var loaded = ReconcileHarness.Load(Tree());
        Assert.True((await harness.ApplyAsync(loaded)).Applied.Succeeded);
        Assert.True(harness.Sim.SetOutOfBand(StorageId, new JsonObject { ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_0" } }));
        harness.Sim.SetAsyncStyle("Microsoft.Storage/storageAccounts", ArmAsyncStyle.Failed);

        var failed = await harness.ApplyAsync(loaded);

        Assert.Equal(ResourceOutcome.Failed, failed.Result(StorageId).Outcome);
        Assert.Equal(FailedCode, failed.Result(StorageId).ErrorCode);

        // Like many providers, the simulator keeps the new body of a failed PUT and reports provisioningState Failed:
        // the fields now match git, but the resource is broken, so the next run must PUT it again.
        var live = harness.Sim.GetResource(StorageId)!;
        Assert.Equal("TLS1_2", live["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        Assert.Equal("Failed", live["properties"]!["provisioningState"]!.GetValue<string>());
        harness.Sim.SetAsyncStyle("Microsoft.Storage/storageAccounts", ArmAsyncStyle.Synchronous);
        harness.Sim.ClearRequests();

        var retry = await harness.ApplyAsync(loaded);

        Assert.Equal(PlanAction.Update, retry.Plan.Change(StorageId).Action);
        Assert.True(retry.Applied.Succeeded);
        Assert.Single(harness.Sim.Requests.To("PUT", StorageId));
        Assert.Equal("Succeeded", harness.Sim.GetResource(StorageId)!["properties"]!["provisioningState"]!.GetValue<string>());
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }
}
