using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>A targeted push that runs over its time budget: the selection holds in every segment.</summary>
public sealed class TargetedCheckpointTests
{
    [Fact]
    public async Task A_Targeted_Push_Over_Its_Budget_Keeps_Its_Selection_In_Every_Segment_And_Applies_Its_Commit()
    {
        var world = new CheckpointWorld();
        world.Options = world.Options with { TargetedPushes = true };
        world.Queue.Enqueued.Enqueue((CheckpointWorld.Job(world.Commit()), TimeSpan.Zero));
        await world.DrainAsync();
        var group = (await world.StateAsync()).Inventory.Find(CheckpointWorld.GroupId)!;
        var reads = world.Arm.Calls.Count(c => c.Method == "GET");

        var sha = world.Commit(tls: "TLS1_1");
        world.Queue.Enqueued.Enqueue((CheckpointWorld.Job(sha, jobId: "job-2"), TimeSpan.Zero));
        await world.DrainAsync();

        var run = world.Runs.Saved.Single(r => r.Commit?.Sha == sha && r.Outcome != RunOutcome.Running);
        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.True(run.Segments is { Count: >= 2 }, $"{run.Segments?.Count ?? 1} segment(s)");
        Assert.True(run.Scope!.AppliesCommit);
        Assert.Equal(world.Accounts, run.Scope.ObservedCount);
        Assert.DoesNotContain(run.Scope.Observed, o => o.Id == CheckpointWorld.GroupId);

        // Each account read once across the segments, the group never.
        Assert.Equal(world.Accounts, world.Arm.Calls.Count(c => c.Method == "GET") - reads);
        var state = await world.StateAsync();
        Assert.Equal(sha, state.LastApplied!.Sha);
        Assert.Equal(world.Accounts + 1, state.Inventory.Entries.Count);
        var carried = state.Inventory.Find(CheckpointWorld.GroupId)!;
        Assert.Equal((group.Digest, group.Shape, group.ApiVersion), (carried.Digest, carried.Shape, carried.ApiVersion));
    }
}
