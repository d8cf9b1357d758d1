using GitOps.Core.Alerts;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Issue 18 item 1: what a run does outside its environment's sync windows.</summary>
public sealed class SyncWindowReconcileTests
{
    private const string Subscription = InMemoryWorld.Subscription;

    private readonly InMemoryWorld _world = new();

    // Saturday 5 December 2026, 11:00 in Berlin: outside office hours.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-05T10:00:00Z"));

    private const string OfficeHours = """
                windows:
                  - { kind: allow, name: office, schedule: "0 9 * * 1-5", duration: 8h, timeZone: Europe/Berlin, triggers: [push, drift, manual] }
            """;

    private InMemoryQueue Queue => _world.Queue;

    private FakeArmClient Arm => _world.Arm;

    private Reconciler Reconciler(IJobQueue? queue = null) => _world.Reconciler(timeProvider: _time, queue: queue);

    private string Commit(string windows = OfficeHours, string name = "stapp01") => _world.Source.Commit("main", files => files
        .Add("gitops.yaml", $"""
            environments:
              - name: prod
                path: envs/prod
                subscriptionId: {Subscription}
            {windows}
            """)
        .Add("envs/prod/app.yaml", $$"""
            type: Microsoft.Storage/storageAccounts@2023-05-01
            name: {{name}}
            resourceGroup: rg-app
            location: westeurope
            sku: { name: Standard_LRS }
            kind: StorageV2
            """));

    private static ReconcileJob Job(string? commit, RunTrigger trigger, string? overrideReason = null) => InMemoryWorld.Job(commit, trigger) with
    {
        RequestedBy = trigger is RunTrigger.Manual or RunTrigger.Rollback ? "alice@example.com" : null,
        WindowOverrideReason = overrideReason,
    };

    private int Writes => _world.Writes;

    [Fact]
    public async Task Push_Outside_Its_Window_Is_Recorded_Deferred_And_Requeued_Until_The_Window_Opens()
    {
        var sha = Commit();
        var job = Job(sha, RunTrigger.Push);

        var result = await Reconciler().ReconcileAsync(job);

        Assert.Equal(JobDisposition.Deferred, result.Disposition);
        Assert.Equal(RunOutcome.Deferred, result.Run!.Outcome);
        Assert.Equal(Conditions.SyncWindowClosed, result.Run.Reason);
        Assert.Empty(Arm.Calls);
        Assert.Equal(DateTimeOffset.Parse("2026-12-07T08:00:00Z"), result.Run.Window!.OpensAt);
        var (requeued, delay) = Assert.Single(Queue.Enqueued);
        Assert.Equal(job.JobId, requeued.JobId);
        Assert.Equal(TimeSpan.FromHours(46), delay);
        Assert.Contains("runs at 2026-12-07 08:00 UTC", result.Run.Summary, StringComparison.Ordinal);
        var state = (await _world.States.GetAsync("platform/prod"))!.Value.State;
        Assert.Equal(RunOutcome.Deferred, state.LastOutcome);
        Assert.Single(state.SyncWindows);
        Assert.Empty(AlertRules.Evaluate(EnvironmentState.New("platform", "prod"), result.Run));
    }

    [Fact]
    public async Task Deferred_Push_Applies_When_Delivered_After_The_Window_Opens()
    {
        var sha = Commit();
        await Reconciler().ReconcileAsync(Job(sha, RunTrigger.Push));
        Assert.True(Queue.Enqueued.TryDequeue(out var requeued));

        _time.Advance(requeued.Delay);
        var result = await Reconciler().ReconcileAsync(requeued.Job);

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.True(result.Run.Window!.Open);
        Assert.Equal(1, Writes);
    }

    [Fact]
    public async Task A_Window_Opening_More_Than_Six_Days_Away_Requeues_For_Six_Days_And_Checks_Again()
    {
        var sha = Commit("""
                windows:
                  - { kind: allow, schedule: "0 9 1 * *", duration: 1h }
            """);

        var result = await Reconciler().ReconcileAsync(Job(sha, RunTrigger.Push));

        Assert.Equal(RunOutcome.Deferred, result.Run!.Outcome);
        Assert.Equal(SyncWindowGate.MaxDeferral, Assert.Single(Queue.Enqueued).Delay);
        Assert.Contains("checks the windows again", result.Run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_Run_Outside_Its_Window_Reports_Drift_And_Writes_Nothing()
    {
        Commit();

        var result = await Reconciler().ReconcileAsync(Job(null, RunTrigger.Drift));

        Assert.Equal(RunOutcome.DriftDetected, result.Run!.Outcome);
        Assert.Contains("the sync window is closed", result.Run.Summary, StringComparison.Ordinal);
        Assert.Equal(0, Writes);
        Assert.Empty(Queue.Enqueued);
        Assert.Equal(JobDisposition.Complete, result.Disposition);
    }

    [Fact]
    public async Task Manual_Sync_With_An_Override_Runs_Records_Who_And_Why_And_Alerts()
    {
        Commit();

        var result = await Reconciler().ReconcileAsync(Job(null, RunTrigger.Manual, "hotfix for INC-42"));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Equal("alice@example.com", result.Run.Window!.OverriddenBy);
        Assert.Equal("hotfix for INC-42", result.Run.Window.OverrideReason);
        var alert = Assert.Single(AlertRules.Evaluate(EnvironmentState.New("platform", "prod"), result.Run), a => a.Kind == AlertKind.SyncWindowOverridden);
        Assert.Contains("alice@example.com", alert.Summary, StringComparison.Ordinal);
        Assert.Contains("hotfix for INC-42", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Push_Job_Carrying_An_Override_Is_Still_Deferred()
    {
        var sha = Commit();

        var result = await Reconciler().ReconcileAsync(Job(sha, RunTrigger.Push, "forged"));

        Assert.Equal(RunOutcome.Deferred, result.Run!.Outcome);
        Assert.Null(result.Run.Window!.OverriddenBy);
        Assert.Contains(result.Run.Warnings, w => w.Contains("only manual and rollback jobs may", StringComparison.Ordinal));
        Assert.Empty(Arm.Calls);
    }

    [Fact]
    public async Task A_Deferred_Run_Keeps_The_Drift_Found_Before_Since_It_Observed_Nothing()
    {
        Commit();
        await Reconciler().ReconcileAsync(Job(null, RunTrigger.Drift));

        await Reconciler().ReconcileAsync(Job(null, RunTrigger.Manual));

        var state = (await _world.States.GetAsync("platform/prod"))!.Value.State;
        Assert.Equal(RunOutcome.Deferred, state.LastOutcome);
        Assert.Equal(ConditionStatus.True, state.Conditions.Single(c => c.Type == Conditions.Drifted).Status);
        Assert.Equal(ConditionStatus.Unknown, state.Conditions.Single(c => c.Type == Conditions.Ready).Status);
    }

    [Fact]
    public async Task Manual_Sync_Without_Override_Is_Deferred_Like_A_Push()
    {
        Commit();

        var result = await Reconciler().ReconcileAsync(Job(null, RunTrigger.Manual));

        Assert.Equal(RunOutcome.Deferred, result.Run!.Outcome);
        Assert.Single(Queue.Enqueued);
    }

    [Fact]
    public async Task An_Older_Push_While_The_Window_Is_Closed_Is_Superseded_By_The_Newer_One()
    {
        var first = Commit();
        Commit(name: "stapp02");

        var result = await Reconciler().ReconcileAsync(Job(first, RunTrigger.Push));

        Assert.Equal(RunOutcome.Superseded, result.Run!.Outcome);
        Assert.Empty(Queue.Enqueued);
    }

    [Fact]
    public async Task A_Deferred_Job_Whose_Requeue_Fails_Keeps_Its_Message()
    {
        var sha = Commit();

        var result = await Reconciler(new FailingQueue()).ReconcileAsync(Job(sha, RunTrigger.Push));

        Assert.Equal(JobDisposition.Retry, result.Disposition);
        Assert.Equal(RunOutcome.Deferred, result.Run!.Outcome);
    }

    [Fact]
    public async Task Inside_The_Window_A_Push_Applies_At_Once()
    {
        _time.SetUtcNow(DateTimeOffset.Parse("2026-12-07T09:00:00Z"));
        var sha = Commit();

        var result = await Reconciler().ReconcileAsync(Job(sha, RunTrigger.Push));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Contains("open: inside allow window 'office'", result.Run.Window!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Override_Reason_Travels_In_The_Job_Message()
    {
        var job = Job(null, RunTrigger.Rollback, "roll back the bad release");

        var parsed = ReconcileJobJson.Parse(ReconcileJobJson.ToQueueText(job));

        Assert.Equal("roll back the bad release", parsed.WindowOverrideReason);
        Assert.DoesNotContain("windowOverrideReason", ReconcileJobJson.Serialize(Job(null, RunTrigger.Push)), StringComparison.Ordinal);
    }

    private sealed class FailingQueue : IJobQueue
    {
        public Task EnqueueAsync(ReconcileJob job, TimeSpan delay = default, CancellationToken cancellationToken = default) =>
            throw new IOException("queue unavailable");

        public Task EnqueueAsync(PushJob job, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
