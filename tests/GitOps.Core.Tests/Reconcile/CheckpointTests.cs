using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>
/// Issue 19 item 1: a run works within its time budget, checkpoints, and continues in follow-up jobs as one run; a
/// worker killed at any point is resumed from the last checkpoint without repeating a recorded write.
/// </summary>
public sealed class CheckpointTests
{
    [Fact]
    public async Task A_Run_Over_Its_Budget_Continues_In_Follow_Up_Jobs_As_One_Run_With_Segments()
    {
        var world = new CheckpointWorld();
        var sha = world.Commit();

        var first = await world.Worker().ReconcileAsync(CheckpointWorld.Job(sha));

        Assert.Equal(JobDisposition.Continued, first.Disposition);
        Assert.Equal(RunOutcome.Running, first.Run!.Outcome);
        var followUp = Assert.Single(world.Queue.Enqueued).Job;
        Assert.Equal(first.Run.RunId, followUp.ContinuesRun);
        Assert.Equal(2, followUp.Segment);
        Assert.True(world.Checkpoints.Has(CheckpointWorld.Key));

        var rest = await world.DrainAsync();

        var run = Assert.Single(world.Runs.Saved);
        Assert.Equal(first.Run.RunId, run.RunId);
        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal(sha, run.Commit!.Sha);
        var segments = run.Segments!;
        Assert.True(segments.Count >= 3, $"{segments.Count} segment(s)");
        Assert.Equal(Enumerable.Range(1, segments.Count), segments.Select(s => s.Number));
        Assert.All(segments.Take(segments.Count - 1), s => Assert.Equal(RunSegmentEnd.Continued, s.End));
        Assert.Equal(RunSegmentEnd.Finished, segments[^1].End);
        Assert.Equal(world.Accounts + 1, segments.Sum(s => s.Writes));
        Assert.All(rest.Take(rest.Count - 1), r => Assert.Equal(JobDisposition.Continued, r.Result.Disposition));
        Assert.All(world.AllIds, id => Assert.Equal(1, world.Effects.GetValueOrDefault(id)));
        Assert.False(world.Checkpoints.Has(CheckpointWorld.Key));
        var state = await world.StateAsync();
        Assert.Null(state.ActiveRun);
        Assert.Equal(sha, state.LastApplied!.Sha);
        Assert.All(world.AllIds, id => Assert.True(state.Inventory.Contains(id), id));
        Assert.Equal(world.Accounts + 1, run.ResultCounts!.Succeeded);
        Assert.NotNull(run.FullPlan);
        Assert.Equal(world.Accounts + 1, (await world.Runs.GetDetailAsync(run.RunId))!.Results.Count);

        // Writes are admitted with a slot in hand: a checkpoint never names more than the window beyond those on the wire.
        Assert.All(world.Checkpoints.Writes, c => Assert.True(c.InFlight.Count <= world.Options.CheckpointWindow + world.Options.Apply.MaxParallelWrites, $"{c.InFlight.Count} in flight"));
        Assert.True(world.Checkpoints.Writes.Count(c => c.Applying) > 2);
    }

    [Fact]
    public async Task A_Stale_Or_Duplicate_Follow_Up_Does_Nothing()
    {
        var world = new CheckpointWorld();
        var sha = world.Commit();
        var first = await world.Worker().ReconcileAsync(CheckpointWorld.Job(sha));
        var followUp = Assert.Single(world.Queue.Enqueued).Job;
        await world.DrainAsync();
        var recordWrites = world.Runs.Writes.Count;
        var stateBefore = RunJson.Serialize(await world.StateAsync());
        var armCalls = world.Arm.Calls.Count;

        // The same follow-up delivered again after the run ended, and one for a segment that already ran.
        var again = await world.Worker().ReconcileAsync(followUp, attempt: 2);
        var older = await world.Worker().ReconcileAsync(followUp with { Segment = 7 });

        Assert.Equal(JobDisposition.Complete, again.Disposition);
        Assert.Null(again.Run);
        Assert.Null(older.Run);
        Assert.Equal(recordWrites, world.Runs.Writes.Count);
        Assert.Equal(stateBefore, RunJson.Serialize(await world.StateAsync()));
        Assert.Equal(armCalls, world.Arm.Calls.Count);
        Assert.Empty(world.Queue.Enqueued);
        Assert.Equal(first.Run!.RunId, Assert.Single(world.Runs.Saved).RunId);
    }

    [Fact]
    public async Task A_Duplicate_Follow_Up_While_The_Run_Continues_Does_Nothing()
    {
        var world = new CheckpointWorld();
        var sha = world.Commit();
        await world.Worker().ReconcileAsync(CheckpointWorld.Job(sha));
        world.Queue.Enqueued.TryDequeue(out var second);
        var result = await world.Worker().ReconcileAsync(second.Job);
        Assert.Equal(JobDisposition.Continued, result.Disposition);
        var writes = world.Checkpoints.Writes.Count;

        // Segment 2's message again (its segment ran; segment 3's follow-up waits on the queue).
        var duplicate = await world.Worker().ReconcileAsync(second.Job, attempt: 2);

        Assert.Equal(JobDisposition.Complete, duplicate.Disposition);
        Assert.Null(duplicate.Run);
        Assert.Equal(writes, world.Checkpoints.Writes.Count);
        await world.DrainAsync();
        Assert.Equal(RunOutcome.Applied, Assert.Single(world.Runs.Saved).Outcome);
        Assert.All(world.AllIds, id => Assert.Equal(1, world.Effects.GetValueOrDefault(id)));
    }

    [Fact]
    public async Task A_Newer_Push_Queues_After_The_Run_Which_Finishes_The_Commit_It_Started()
    {
        var world = new CheckpointWorld();
        var first = world.Commit("TLS1_2", "first");
        await world.Worker().ReconcileAsync(CheckpointWorld.Job(first));
        var newer = world.Commit("TLS1_3", "second");

        var push = await world.Worker().ReconcileAsync(CheckpointWorld.Job(newer, jobId: "job-2"));

        Assert.Equal(JobDisposition.Deferred, push.Disposition);
        Assert.Null(push.Run);
        Assert.Contains(world.Queue.Enqueued, e => e.Job.JobId == "job-2" && e.Delay > TimeSpan.Zero);
        await world.DrainAsync();

        var runs = world.Runs.Saved;
        Assert.Equal(2, runs.Count);
        Assert.Equal(first, runs[0].Commit!.Sha);
        Assert.Equal(RunOutcome.Applied, runs[0].Outcome);
        Assert.True(runs[0].Segments!.Count > 1);
        Assert.Equal(newer, runs[1].Commit!.Sha);
        Assert.Equal(RunOutcome.Applied, runs[1].Outcome);
        Assert.True(runs[1].StartedAt >= runs[0].FinishedAt);
        Assert.Equal(newer, (await world.StateAsync()).LastApplied!.Sha);
    }

    [Fact]
    public async Task A_Run_Whose_Commit_Left_The_Branch_Between_Segments_Is_Refused_And_Keeps_What_It_Wrote()
    {
        var world = new CheckpointWorld();
        var sha = world.Commit();
        var first = await world.Worker().ReconcileAsync(CheckpointWorld.Job(sha));
        var written = first.Run!.ResultCounts!.Succeeded;
        Assert.True(written > 0);

        // The default branch now says the environment follows 'release', which does not contain the run's commit.
        world.Source.Commit("release", files => files.Add("envs/prod/app.yaml", "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-app\nlocation: westeurope\n"));
        world.Source.Commit("main", files => files.Add("gitops.yaml", $"""
            environments:
              - name: prod
                path: envs/prod
                branch: release
                subscriptionId: {CheckpointWorld.Subscription}
            """));
        await world.DrainAsync();

        var run = Assert.Single(world.Runs.Saved);
        Assert.Equal(RunOutcome.Refused, run.Outcome);
        Assert.Equal(written, run.ResultCounts!.Succeeded);
        var state = await world.StateAsync();
        Assert.Null(state.ActiveRun);
        Assert.Equal(written, state.Inventory.Entries.Count);
        Assert.False(world.Checkpoints.Has(CheckpointWorld.Key));
    }

    [Fact]
    public async Task A_Damaged_Checkpoint_Is_Discarded_And_The_Run_It_Named_Is_Marked_Interrupted()
    {
        var world = new CheckpointWorld();
        var sha = world.Commit();
        var first = await world.Worker().ReconcileAsync(CheckpointWorld.Job(sha));
        world.Checkpoints.Put(CheckpointWorld.Key, "not a checkpoint"u8.ToArray());

        await world.DrainAsync();

        var runs = world.Runs.Saved;
        Assert.Equal(RunOutcome.Interrupted, runs.Single(r => r.RunId == first.Run!.RunId).Outcome);
        var next = runs.Single(r => r.RunId != first.Run!.RunId);
        Assert.Equal(RunOutcome.Applied, next.Outcome);
        Assert.Contains(next.Warnings, w => w.Contains("could not be read", StringComparison.Ordinal));
        Assert.All(world.AllIds, id => Assert.Equal(1, world.Effects.GetValueOrDefault(id)));
        Assert.False(world.Checkpoints.Has(CheckpointWorld.Key));
        Assert.Null((await world.StateAsync()).ActiveRun);
    }

    [Fact]
    public async Task A_Checkpoint_Of_Another_Run_Is_Never_Continued()
    {
        var world = new CheckpointWorld();
        var sha = world.Commit();
        await world.Worker().ReconcileAsync(CheckpointWorld.Job(sha));
        var foreign = world.Checkpoints.Writes.Last() with { RunId = "7980000000000000000-deadbeef" };
        world.Checkpoints.Put(CheckpointWorld.Key, RunCheckpointJson.Serialize(foreign));

        await world.DrainAsync();

        Assert.DoesNotContain(world.Runs.Saved, r => r.RunId == foreign.RunId);
        Assert.Contains(world.Runs.Saved, r => r.Outcome == RunOutcome.Applied);
        Assert.Contains(world.Runs.Saved.SelectMany(r => r.Warnings), w => w.Contains(foreign.RunId, StringComparison.Ordinal));
        Assert.False(world.Checkpoints.Has(CheckpointWorld.Key));
        Assert.All(world.AllIds, id => Assert.Equal(1, world.Effects.GetValueOrDefault(id)));
    }

    [Fact]
    public async Task A_Follow_Up_That_Was_Lost_Is_Taken_Over_By_The_Next_Job_Which_Then_Runs_Itself()
    {
        var world = new CheckpointWorld();
        var sha = world.Commit();
        var first = await world.Worker().ReconcileAsync(CheckpointWorld.Job(sha));
        world.Queue.Enqueued.Clear();
        world.Time.Advance(world.Options.FollowUpOverdue);

        var drift = await world.Worker().ReconcileAsync(CheckpointWorld.Job(commit: null, RunTrigger.Drift, jobId: "drift-1"));

        Assert.Equal(first.Run!.RunId, drift.Run!.RunId);
        await world.DrainAsync();
        var runs = world.Runs.Saved;
        Assert.Equal(2, runs.Count);
        Assert.Equal(RunOutcome.Applied, runs[0].Outcome);
        Assert.Contains(runs[0].Warnings, w => w.Contains("drift-1", StringComparison.Ordinal));
        Assert.Equal(RunTrigger.Drift, runs[1].Trigger);
        Assert.Equal(RunOutcome.NoChanges, runs[1].Outcome);
        Assert.All(world.AllIds, id => Assert.Equal(1, world.Effects.GetValueOrDefault(id)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Worker_Killed_At_Any_Side_Effect_Is_Resumed_Without_Repeating_A_Recorded_Write(bool lists)
    {
        var points = 0;
        foreach (var afterEffect in new[] { false, true })
        {
            for (var at = 1; ; at++)
            {
                // With lists, existence comes from lists that never show a resource PUT since (a create in progress is
                // not listed yet): a write in doubt must still be read with a GET, or it would be sent again.
                var world = new CheckpointWorld(accounts: 7);
                world.Arm.Lists = lists;

                // One write at a time: the "killed" worker's task is not really stopped, so a second write in flight
                // could land after the next worker re-read that resource and count as a repeat (a race a real process
                // death only has on the wire, and one ARM's idempotent PUT absorbs).
                world.Options = world.Options with { Apply = world.Options.Apply with { MaxParallelWrites = 1 } };
                var sha = world.Commit();
                var kill = new KillSwitch(at, afterEffect);
                world.Queue.Enqueued.Enqueue((CheckpointWorld.Job(sha), TimeSpan.Zero));

                // One worker handles every delivery until it dies at its Nth side effect; the message it was handling
                // comes back once its lease has lapsed, after whatever it had queued.
                while (!kill.Dead && world.Queue.Enqueued.TryDequeue(out var next))
                {
                    world.Time.Advance(next.Delay);
                    var handling = world.Worker(kill).ReconcileAsync(next.Job);
                    await Task.WhenAny(handling, kill.Died.Task).WaitAsync(TimeSpan.FromSeconds(30));
                    if (kill.Dead)
                    {
                        world.Locks.Expire(CheckpointWorld.Key);
                        world.Queue.Enqueued.Enqueue((next.Job, TimeSpan.Zero));
                        break;
                    }

                    if ((await handling).Disposition == JobDisposition.Retry)
                    {
                        world.Queue.Enqueued.Enqueue((next.Job, TimeSpan.Zero));
                    }
                }

                if (!kill.Dead)
                {
                    break;
                }

                points++;
                await world.DrainAsync();

                var where = $"killed at side effect {at} ({kill.Where}, {(kill.AfterEffect ? "after" : "before")} it)";
                Assert.All(world.AllIds, id => Assert.True(world.Effects.GetValueOrDefault(id) == 1, $"{id} written {world.Effects.GetValueOrDefault(id)} time(s); {where}"));
                var runs = world.Runs.Saved;
                Assert.True(runs.Count(r => r.Outcome == RunOutcome.Applied) == 1, $"{string.Join(", ", runs.Select(r => $"{r.Outcome}: {r.Summary}"))}; {where}");
                // A worker killed between its Running record and its claim on the state leaves a record no later run can
                // tell from a live one (as before checkpoints). A message delivered again after its run ended is a run
                // that finds nothing to do (as before checkpoints). Every other record ends applied or interrupted.
                Assert.All(runs, r => Assert.True(r.Outcome is RunOutcome.Applied or RunOutcome.Interrupted || (r.Outcome == RunOutcome.NoChanges && r.ResultCounts is null) || (r.Outcome == RunOutcome.Running && r.Plan is null && (kill.Where == "state" || (kill.Where == "record Running" && kill.AfterEffect))), $"{r.Outcome}: {r.Summary}; {where}"));
                var state = await world.StateAsync();
                Assert.True(state.ActiveRun is null, where);
                Assert.True(world.AllIds.All(state.Inventory.Contains), where);
                Assert.False(world.Checkpoints.Has(CheckpointWorld.Key), where);
                if (world.Checkpoints.Writes.Any(c => c.RunId == runs[0].RunId))
                {
                    // Killed after the run's first checkpoint: the run was resumed, not started again.
                    Assert.True(runs.Count(r => r.Outcome != RunOutcome.NoChanges) == 1, $"{runs.Count} runs ({string.Join(", ", runs.Select(r => r.Outcome))}); {where}");
                    Assert.True(runs[0].Segments!.Count > 1, where);
                }
            }
        }

        Assert.True(points > 30, $"only {points} kill points");
    }
}
