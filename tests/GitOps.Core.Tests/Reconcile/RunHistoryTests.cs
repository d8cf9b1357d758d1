using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Run history is never lost or overwritten: crashes, storage outages and frozen workers.</summary>
public sealed class RunHistoryTests
{
    private const string Subscription = InMemoryWorld.Subscription;
    private const string StorageId = $"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01";
    private static readonly ReconcilerOptions s_options = ReconcilerOptions.Default with { RecordRetryDelay = TimeSpan.Zero };

    private readonly InMemoryWorld _world = new();

    private Reconciler Reconciler() => _world.Reconciler(s_options);

    private const string Config = $"""
        environments:
          - name: prod
            path: envs/prod
            branch: main
            subscriptionId: {Subscription}
        """;

    private static string Resources(string tls) => $"""
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-app
        location: westeurope
        ---
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg-app
        location: westeurope
        sku: {"{"} name: Standard_LRS {"}"}
        kind: StorageV2
        properties:
          minimumTlsVersion: {tls}
        """;

    private string Commit(string tls) => _world.Source.Commit("main", f => f.Add("gitops.yaml", Config).Add("envs/prod/app.yaml", Resources(tls)));

    private static ReconcileJob Job(string? commit, RunTrigger trigger = RunTrigger.Push) => InMemoryWorld.Job(commit, trigger);

    private int Puts => _world.Arm.Calls.Count(c => c.Method == "PUT");

    [Fact]
    public async Task A_Run_Is_Recorded_As_Running_Before_It_Observes_Or_Writes()
    {
        var sha = Commit("TLS1_2");
        RunRecord? seenAtFirstWrite = null;
        _world.Arm.BeforeWrite = _ =>
        {
            seenAtFirstWrite ??= _world.Runs.Saved.Single();
            return Task.CompletedTask;
        };

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.Running, seenAtFirstWrite!.Outcome);
        Assert.Equal(result.Run!.RunId, seenAtFirstWrite.RunId);
        Assert.Equal(RunOutcome.Applied, Assert.Single(_world.Runs.Saved).Outcome);
        Assert.Null((await _world.States.GetAsync("platform/prod"))!.Value.State.ActiveRun);
    }

    [Fact]
    public async Task A_Run_That_Left_Its_Claim_Behind_Is_Marked_Interrupted_By_The_Next_Run()
    {
        var sha = Commit("TLS1_2");

        // The first attempt's process dies after its Running record: only that record and its claim on the state are
        // left, as after kill -9 (the process-level test is in the hosting tests).
        var first = await new Reconciler(_world.Source, _world.Arm, new DyingRunStore(_world.Runs), _world.States, _world.Locks, _world.Queue, s_options).ReconcileAsync(Job(sha));
        Assert.Equal(JobDisposition.Retry, first.Disposition);
        var died = Assert.Single(_world.Runs.Saved);
        Assert.Equal(RunOutcome.Running, died.Outcome);
        Assert.Equal(died.RunId, (await _world.States.GetAsync("platform/prod"))!.Value.State.ActiveRun!.RunId);

        var next = await Reconciler().ReconcileAsync(Job(sha), attempt: 2);

        Assert.Equal(RunOutcome.NoChanges, next.Run!.Outcome);
        var interrupted = _world.Runs.Saved.Single(r => r.RunId == died.RunId);
        Assert.Equal(RunOutcome.Interrupted, interrupted.Outcome);
        Assert.Contains(next.Run.RunId, interrupted.Summary, StringComparison.Ordinal);
        Assert.Contains(next.Run.Warnings, w => w.Contains(died.RunId, StringComparison.Ordinal));
        Assert.Null((await _world.States.GetAsync("platform/prod"))!.Value.State.ActiveRun);
    }

    [Fact]
    public async Task When_The_Record_Cannot_Be_Written_The_Job_Is_Kept_And_The_Retry_Sends_No_Put_That_Live_Already_Has()
    {
        Assert.Equal(RunOutcome.Applied, (await Reconciler().ReconcileAsync(Job(Commit("TLS1_0")))).Run!.Outcome);
        var change = Commit("TLS1_2");

        // Storage fails for every final record of this delivery (the Running record got through).
        _world.Runs.Fail = run => run.Outcome != RunOutcome.Running ? new IOException("storage unavailable") : null;
        var putsBefore = Puts;
        var failed = await Reconciler().ReconcileAsync(Job(change));

        Assert.Equal(JobDisposition.Retry, failed.Disposition);
        Assert.Equal(putsBefore + 1, Puts);
        var stateAfterOutage = (await _world.States.GetAsync("platform/prod"))!.Value.State;
        Assert.NotNull(stateAfterOutage.ActiveRun);

        _world.Runs.Fail = null;
        var retried = await Reconciler().ReconcileAsync(Job(change), attempt: 2);

        Assert.Equal(JobDisposition.Complete, retried.Disposition);
        Assert.Equal(RunOutcome.NoChanges, retried.Run!.Outcome);
        Assert.Equal(putsBefore + 1, Puts);
        Assert.Equal(change, (await _world.States.GetAsync("platform/prod"))!.Value.State.LastApplied!.Sha);
        Assert.Equal(RunOutcome.Interrupted, _world.Runs.Saved.Single(r => r.RunId == failed.Run!.RunId).Outcome);
    }

    [Fact]
    public async Task A_Record_Write_That_Fails_Briefly_Is_Retried_Within_The_Run()
    {
        var failures = 2;
        _world.Runs.Fail = run => run.Outcome != RunOutcome.Running && failures-- > 0 ? new IOException("503") : null;

        var result = await Reconciler().ReconcileAsync(Job(Commit("TLS1_2")));

        Assert.Equal(JobDisposition.Complete, result.Disposition);
        Assert.Equal(RunOutcome.Applied, Assert.Single(_world.Runs.Saved).Outcome);
        Assert.Equal(result.Run!.RunId, (await _world.States.GetAsync("platform/prod"))!.Value.State.LastRunId);
    }

    [Fact]
    public async Task A_Worker_Frozen_Past_Its_Lease_Never_Overwrites_The_Newer_Runs_State()
    {
        var sha = Commit("TLS1_2");
        var frozen = new TaskCompletionSource();
        var inWrite = new TaskCompletionSource();
        _world.Arm.BeforeWrite = async id =>
        {
            if (id == StorageId && !inWrite.Task.IsCompleted)
            {
                inWrite.SetResult();
                await frozen.Task;
                throw new GitOps.Core.Ports.ArmRequestException(400, "BadRequest", "stale worker write failed", GitOps.Core.Ports.ArmErrorKind.Fatal);
            }
        };

        // Worker A freezes inside its PUT; its lease lapses without it noticing.
        var workerA = Reconciler().ReconcileAsync(Job(sha));
        await inWrite.Task;
        _world.Locks.Expire("platform/prod");

        // Worker B takes over and applies.
        var b = await Reconciler().ReconcileAsync(Job(sha), attempt: 2);
        Assert.Equal(RunOutcome.Applied, b.Run!.Outcome);

        // A wakes up, fails, and records.
        frozen.SetResult();
        var a = await workerA;

        Assert.Equal(RunOutcome.Failed, a.Run!.Outcome);
        var state = (await _world.States.GetAsync("platform/prod"))!.Value.State;
        Assert.Equal(b.Run.RunId, state.LastRunId);
        Assert.Equal(RunOutcome.Applied, state.LastOutcome);
        Assert.Contains(state.Conditions, c => c.Type == Conditions.Ready && c.Status == ConditionStatus.True);
        var recordA = _world.Runs.Saved.Single(r => r.RunId == a.Run.RunId);
        Assert.Contains(recordA.Warnings, w => w.Contains("did not write the environment state", StringComparison.Ordinal));
    }

    private sealed class ProcessKilled : Exception;

    // A run store in a process that dies: the exception thrown inside the apply also ends the final write.
    private sealed class DyingRunStore(InMemoryRunStore inner) : GitOps.Core.Ports.IRunStore
    {
        public Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default) =>
            run.Outcome == RunOutcome.Running ? inner.SaveAsync(run, cancellationToken) : throw new ProcessKilled();

        public Task<IReadOnlyList<RunRecord>> ListAsync(string? environmentKey, int max, CancellationToken cancellationToken = default) =>
            inner.ListAsync(environmentKey, max, cancellationToken);

        public Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken = default) => inner.GetAsync(runId, cancellationToken);
    }
}
