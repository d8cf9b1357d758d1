using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class ConvergenceTests
{
    [Fact]
    public async Task Create_Then_Replan_Is_All_Noop_Then_Drift_Is_Reported_Corrected_And_Converges()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree());
        Assert.Equal(AllIds.Length, loaded.Resources.Count);

        // 1. Create everything.
        var first = await harness.ApplyAsync(loaded);
        Assert.Equal(AllIds.Length, first.Plan.Summary.Create);
        Assert.True(first.Applied.Succeeded, RequestLog.Describe(harness.Sim.Requests));
        Assert.Equal(AllIds.Length, first.Applied.Writes);
        Assert.Equal(AllIds.Length, harness.Inventory.Entries.Count);
        foreach (var id in AllIds)
        {
            Assert.NotNull(harness.Sim.GetResource(id));
            Assert.Single(harness.Sim.Requests.To("PUT", id));
        }

        // 2. No false drift after the simulator's normalizations (read-only fields, "West Europe" read back as
        // "westeurope", added defaults, subnet listed inside the network, the write-only SQL password dropped).
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);

        // 3. Someone changes the storage account and a rule in the portal.
        Assert.True(harness.Sim.SetOutOfBand(StorageId, JsonNode.Parse("""{"properties":{"minimumTlsVersion":"TLS1_0"}}""")!.AsObject()));
        var drifted = await harness.PlanAsync(loaded);
        var change = drifted.Change(StorageId);
        Assert.Equal(PlanAction.Update, change.Action);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/minimumTlsVersion", diff.Path);
        Assert.Equal("TLS1_2", diff.Desired!.GetValue<string>());
        Assert.Equal("TLS1_0", diff.Live!.GetValue<string>());
        Assert.Equal(AllIds.Length - 1, drifted.Summary.Noop);

        // 4. Apply corrects exactly that resource.
        harness.Sim.ClearRequests();
        var correct = await harness.ApplyAsync(loaded);
        Assert.True(correct.Applied.Succeeded);
        var writes = harness.Sim.Requests.Where(r => r.IsWrite()).ToList();
        var put = Assert.Single(writes);
        Assert.True(put.IsFor(StorageId), RequestLog.Describe(writes));
        Assert.Equal(200, put.StatusCode);
        Assert.Equal("TLS1_2", harness.Sim.GetResource(StorageId)!["properties"]!["minimumTlsVersion"]!.GetValue<string>());

        // 5. Converged.
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }

    [Fact]
    public async Task Every_Request_Carries_The_Declared_Api_Version_And_A_Second_Apply_Writes_Nothing()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree());

        Assert.True((await harness.ApplyAsync(loaded)).Applied.Succeeded);
        var again = await harness.ApplyAsync(loaded);

        var log = harness.Sim.Requests;
        Assert.NotEmpty(log);
        foreach (var record in log)
        {
            // A resource, or the collection of one (the first apply lists before it reads: ListExistenceTests).
            var id = ApiVersions.Keys.SingleOrDefault(record.IsFor)
                ?? ApiVersions.Keys.FirstOrDefault(k => record.Method == "GET" && record.IsFor(k[..k.LastIndexOf('/')]));
            Assert.True(id is not null, $"Unexpected request {record.Method} {record.Path}");
            Assert.Equal(ApiVersions[id], record.ApiVersion);
        }

        // The first run lists the resource groups, finds its group absent and so everything below it: no GET of a
        // resource. The second run: one GET per resource (the inventory knows them all), zero writes.
        Assert.Empty(again.Applied.Results);
        Assert.Equal(AllIds.Length, again.Plan.Summary.Noop);
        var secondRun = log.Skip(log.Count - AllIds.Length).ToList();
        Assert.All(secondRun, r => Assert.Equal("GET", r.Method));
        Assert.Equal(1 + AllIds.Length, log.Count(r => r.Method == "GET"));
        Assert.Equal(AllIds.Length, log.Count(r => r.IsWrite()));
    }

    [Fact]
    public async Task Secret_Never_Reaches_The_Plan_Or_The_Apply_Result()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree());

        var run = await harness.ApplyAsync(loaded);

        Assert.True(run.Applied.Succeeded);
        Assert.DoesNotContain("S3cret-Value-Never-Logged!", PlanJson.Serialize(run.Plan), StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", string.Join(" ", run.Applied.Results.Select(r => r.ToString())), StringComparison.Ordinal);
        Assert.Null(harness.Sim.GetResource(SqlServerId)!["properties"]!["administratorLoginPassword"]);
    }
}
