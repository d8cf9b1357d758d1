using GitOps.ArmSimulator;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class CancellationTests
{
    [Fact]
    public async Task A_Cancelled_Apply_Returns_What_It_Did_So_The_Inventory_Keeps_It()
    {
        await using var harness = await ReconcileHarness.StartAsync();

        // The storage account's PUT hangs (a slow ARM answer) until the run is cancelled.
        harness.Sim.AddFault(new ArmFaultRule
        {
            Method = "PUT",
            PathPattern = "*/storageAccounts/stitapp01",
            StatusCode = 503,
            Count = 1,
            Latency = TimeSpan.FromSeconds(30),
        });
        var loaded = ReconcileHarness.Load(Tree());
        var plan = await harness.PlanAsync(loaded);
        using var stop = new CancellationTokenSource();

        string[] independent = [GroupId, VnetId, SubnetId, NsgId, SqlServerId];
        var observed = new CompletionObserver(harness.Client, independent);
        var applying = new Applier(observed).ApplyAsync(plan, harness.Inventory, stop.Token);

        // Cancel once the client has the answers of the independent resources (not merely once the simulator stored
        // them: the client may not have read the response yet) and the storage PUT is in flight (six writes sent; the
        // role assignment waits for the storage account).
        await observed.Completed.WaitAsync(TimeSpan.FromSeconds(30));
        await GitOps.Testing.Poll.UntilAsync(() => harness.Client.Counters.WritesSent >= 6, TimeSpan.FromSeconds(30), "the storage account's PUT to be sent");
        stop.Cancel();
        var applied = await applying.WaitAsync(TimeSpan.FromSeconds(10));

        // What completed is reported and kept; the interrupted create is kept too (ARM may finish it), as a
        // transient failure so the job is retried.
        Assert.All(independent, id => Assert.Equal(ResourceOutcome.Succeeded, applied.Results.Single(r => r.Id == id).Outcome));
        var storage = applied.Results.Single(r => r.Id == StorageId);
        Assert.Equal(ResourceOutcome.Failed, storage.Outcome);
        Assert.Equal(Applier.CancelledCode, storage.ErrorCode);
        Assert.True(storage.Transient);
        Assert.NotEqual(ResourceOutcome.Succeeded, applied.Results.Single(r => r.Id == RoleAssignmentId).Outcome);
        Assert.True(applied.OnlyTransientFailures);
        Assert.All(independent, id => Assert.True(applied.Inventory.Contains(id), id));
        Assert.True(applied.Inventory.Contains(StorageId));

        harness.Sim.ClearFaults();
        harness.Inventory = applied.Inventory;
        var next = await harness.ApplyAsync(loaded);
        Assert.True(next.Applied.Succeeded, RequestLog.Describe(next.Plan));
        Assert.Equal(2, next.Plan.Summary.Create);
        RequestLog.AssertAllNoop(await harness.PlanAsync(loaded), AllIds.Length);
    }

    [Fact]
    public async Task An_Apply_Cancelled_Before_It_Starts_Skips_Every_Change_And_Keeps_The_Inventory()
    {
        await using var harness = await ReconcileHarness.StartAsync();
        var loaded = ReconcileHarness.Load(Tree());
        var plan = await harness.PlanAsync(loaded);
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        var applied = await new Applier(harness.Client).ApplyAsync(plan, harness.Inventory, stop.Token);

        Assert.Equal(AllIds.Length, applied.Results.Count);
        Assert.All(applied.Results, r => Assert.NotEqual(ResourceOutcome.Succeeded, r.Outcome));
        Assert.True(applied.OnlyTransientFailures || applied.Results.All(r => r.Outcome == ResourceOutcome.Skipped));
        Assert.All(applied.Results.Where(r => r.Outcome == ResourceOutcome.Skipped), r => Assert.True(r.Transient));
        Assert.DoesNotContain(harness.Sim.Requests, r => r.IsWrite());
        Assert.Empty(applied.Inventory.Entries);
        Assert.Equal(PlanAction.Create, plan.Change(GroupId).Action);
    }

    /// <summary>The client the applier uses, completing <see cref="Completed"/> once it has the answers for every one of <paramref name="ids"/>.</summary>
    private sealed class CompletionObserver(GitOps.Core.Ports.IArmResourceClient inner, IReadOnlyCollection<string> ids) : GitOps.Core.Ports.IArmResourceClient
    {
        private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = ids.Count;

        public Task Completed => _completed.Task;

        public Task<GitOps.Core.Ports.ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
            inner.GetAsync(resourceId, apiVersion, cancellationToken);

        public async Task<GitOps.Core.Ports.ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, System.Text.Json.Nodes.JsonObject body, CancellationToken cancellationToken = default)
        {
            var result = await inner.CreateOrUpdateAsync(resourceId, apiVersion, body, cancellationToken);
            if (ids.Contains(resourceId, StringComparer.OrdinalIgnoreCase) && Interlocked.Decrement(ref _remaining) == 0)
            {
                _completed.TrySetResult();
            }

            return result;
        }

        public Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(resourceId, apiVersion, cancellationToken);
    }
}
