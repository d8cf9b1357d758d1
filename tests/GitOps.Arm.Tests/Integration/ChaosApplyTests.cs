using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using Xunit.Abstractions;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class ChaosApplyTests(ITestOutputHelper output)
{
    private const int Extra = 12;

    [Theory]
    [InlineData(ArmAsyncStyle.Synchronous, 1234, 1)]
    [InlineData(ArmAsyncStyle.AzureAsyncOperation, 98765, 0)]
    public async Task Repeated_Applies_Converge_Under_Random_429_And_5xx_Without_Duplicate_Creates(ArmAsyncStyle style, int seed, int retryAfterSeconds)
    {
        await using var harness = await ReconcileHarness.StartAsync(
            o =>
            {
                o.FaultRate = 0.2;
                o.RandomSeed = seed;
                o.RetryAfter = TimeSpan.FromSeconds(retryAfterSeconds);
                o.DefaultAsyncStyle = style;
            },
            // Few retries, so some failures reach the applier and later runs have to finish the job.
            c =>
            {
                c.Retry.MaxRetries = 2;
                c.MaxPollInterval = TimeSpan.FromMilliseconds(50);
            });
        var loaded = ReconcileHarness.Load(Tree(extra: ExtraStorage(Extra)));
        string[] ids = [.. AllIds, .. Enumerable.Range(1, Extra).Select(ExtraStorageId)];

        var plannedWrites = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var converged = false;
        var runs = 0;
        var observationFailures = 0;
        var applyFailures = 0;
        while (!converged && runs < 15)
        {
            runs++;
            ReconcileRun run;
            try
            {
                run = await harness.ApplyAsync(loaded);
            }
            catch (ObservationException error)
            {
                // A GET that still failed after its retries: no trustworthy plan, so the run writes nothing.
                Assert.True(error.IsTransient, error.Message);
                observationFailures++;
                continue;
            }

            foreach (var change in run.Plan.Changes.Where(c => c.Action is PlanAction.Create or PlanAction.Update))
            {
                plannedWrites[change.Id] = plannedWrites.GetValueOrDefault(change.Id) + 1;
            }

            Assert.True(run.Applied.OnlyTransientFailures, string.Join(Environment.NewLine, run.Applied.Results));
            applyFailures += run.Applied.Results.Count(r => r.Outcome != ResourceOutcome.Succeeded);
            converged = !run.Plan.Summary.HasChanges && run.Applied.Succeeded;
        }

        var log = harness.Sim.Requests;
        output.WriteLine($"{runs} runs, {observationFailures} failed observations, {applyFailures} failed or skipped changes, {log.Count} requests, {log.Count(r => r.StatusCode is 429 or >= 500)} faults");
        Assert.True(converged, $"Not converged after {runs} runs:{Environment.NewLine}{RequestLog.Describe(log)}");
        Assert.True(log.Count(r => r.StatusCode is 429 or >= 500) >= 3, "The fault rate should have produced faults.");

        foreach (var id in ids)
        {
            Assert.NotNull(harness.Sim.GetResource(id));
            var puts = log.To("PUT", id);
            Assert.True(puts.Count(p => p.StatusCode == 201) == 1, $"{id}: expected exactly one 201 create:{Environment.NewLine}{RequestLog.Describe(puts)}");

            // Any further accepted PUT must have been planned (e.g. a create whose operation poll failed is
            // recorded with an empty digest and updated next run), never a blind repeat inside one write.
            var accepted = puts.Count(p => p.StatusCode is >= 200 and < 300);
            Assert.True(accepted <= plannedWrites.GetValueOrDefault(id), $"{id}: {accepted} accepted PUTs for {plannedWrites.GetValueOrDefault(id)} planned writes:{Environment.NewLine}{RequestLog.Describe(puts)}");
        }

        Assert.Equal("TLS1_2", harness.Sim.GetResource(StorageId)!["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        Assert.Equal(ids.Length, harness.Inventory.Entries.Count);

        // Prune under the same chaos: remove the network and half of the extra accounts from git.
        string[] removed = [VnetId, SubnetId, .. Enumerable.Range(1, Extra / 2).Select(ExtraStorageId)];
        var fewer = ReconcileHarness.Load(Tree(omit: [Vnet, Subnet], extra: ExtraStorage(Extra)[(Extra / 2)..]));
        harness.Sim.ClearRequests();

        // Deletes answer at once here: the simulator advances an operation only when someone polls it, and prune
        // does not GET what it deletes, so a delete whose polls all failed would stay "running" for good (ARM
        // finishes it by itself, and the next run's DELETE then succeeds).
        foreach (var type in new[] { "Microsoft.Storage/storageAccounts", "Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/subnets" })
        {
            harness.Sim.SetAsyncStyle(type, ArmAsyncStyle.Synchronous);
        }

        converged = false;
        for (var run = 0; !converged && run < 15; run++)
        {
            try
            {
                var pruned = await harness.ApplyAsync(fewer);
                converged = !pruned.Plan.Summary.HasChanges && pruned.Applied.Succeeded;
            }
            catch (ObservationException error) when (error.IsTransient)
            {
            }
        }

        Assert.True(converged, RequestLog.Describe(harness.Sim.Requests));
        Assert.All(removed, id => Assert.Null(harness.Sim.GetResource(id)));
        Assert.All(removed, id => Assert.False(harness.Inventory.Contains(id)));
        Assert.Equal(ids.Length - removed.Length, harness.Inventory.Entries.Count);
        Assert.DoesNotContain(harness.Sim.Requests, r => r.Method == "PUT" && r.StatusCode is >= 200 and < 300);
    }
}
