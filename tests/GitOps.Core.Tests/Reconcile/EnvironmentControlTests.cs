using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

public sealed class EnvironmentControlTests
{
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryQueue _queue = new();

    /// <summary>A state store where a run's state write lands between the control's read and its write, once.</summary>
    private sealed class RacingStateStore(InMemoryStateStore inner) : IEnvironmentStateStore
    {
        private bool _raced;

        public Task<(EnvironmentState State, string ETag)?> GetAsync(string environmentKey, CancellationToken cancellationToken = default) =>
            inner.GetAsync(environmentKey, cancellationToken);

        public async Task<string> SaveAsync(EnvironmentState state, string? etag, CancellationToken cancellationToken = default)
        {
            if (!_raced)
            {
                _raced = true;
                var current = await inner.GetAsync(state.EnvironmentKey, cancellationToken);
                await inner.SaveAsync((current?.State ?? state) with { LastRunId = "run-that-raced" }, current?.ETag, cancellationToken);
            }

            return await inner.SaveAsync(state, etag, cancellationToken);
        }

        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }

    [Fact]
    public async Task Suspend_Retries_A_Lost_ETag_Race_And_Keeps_The_Other_Write()
    {
        var states = new InMemoryStateStore();
        await states.SaveAsync(EnvironmentState.New("platform", "prod"), etag: null);
        var control = new EnvironmentControl(new RacingStateStore(states), _runs, _queue);

        var record = await control.SuspendAsync("platform", "prod", "incident 42", "alice", until: null);

        var (state, _) = (await states.GetAsync("platform/prod"))!.Value;
        Assert.Equal(("incident 42", "alice"), (state.Suspension!.Reason, state.Suspension.By));
        Assert.Equal("run-that-raced", state.LastRunId);
        Assert.Equal((RunOutcome.Suspended, RunTrigger.Manual, "alice"), (record.Outcome, record.Trigger, record.RequestedBy));
        Assert.Equal("Suspended by alice: incident 42 (until resumed).", record.Summary);
        Assert.Single(_runs.Saved);
        Assert.Empty(_queue.Enqueued);
    }

    [Fact]
    public async Task Resume_Clears_The_Suspension_Records_Who_And_Enqueues_A_Manual_Job()
    {
        var states = new InMemoryStateStore();
        var control = new EnvironmentControl(states, _runs, _queue);
        await control.SuspendAsync("platform", "prod", "freeze", "alice", DateTimeOffset.UtcNow.AddDays(1));

        var (record, job) = await control.ResumeAsync("platform", "prod", "bob");

        Assert.Null((await states.GetAsync("platform/prod"))!.Value.State.Suspension);
        Assert.Equal((RunOutcome.Resumed, "bob", job.JobId), (record.Outcome, record.RequestedBy, record.JobId));
        Assert.Contains("suspended by alice: freeze", record.Summary, StringComparison.Ordinal);
        var (queued, delay) = Assert.Single(_queue.Enqueued);
        Assert.Equal((RunTrigger.Manual, (string?)null, "bob", TimeSpan.Zero), (queued.Trigger, queued.Commit, queued.RequestedBy, delay));
    }

    [Fact]
    public async Task Sync_Enqueues_A_Manual_Job_Of_The_Branch_Tip_And_Writes_No_State_Or_Run()
    {
        var states = new InMemoryStateStore();
        var control = new EnvironmentControl(states, _runs, _queue);

        var job = await control.SyncAsync("platform", "prod", "api-key:ci");

        var (queued, delay) = Assert.Single(_queue.Enqueued);
        Assert.Equal((job.JobId, "platform/prod", RunTrigger.Manual, (string?)null, "api-key:ci", TimeSpan.Zero), (queued.JobId, queued.EnvironmentKey, queued.Trigger, queued.Commit, queued.RequestedBy, delay));
        Assert.Null(await states.GetAsync("platform/prod"));
        Assert.Empty(_runs.Saved);
    }

    [Fact]
    public async Task A_Note_Is_Recorded_Beside_The_Actor_And_Never_As_It()
    {
        var states = new InMemoryStateStore();
        var control = new EnvironmentControl(states, _runs, _queue);

        var suspended = await control.SuspendAsync("platform", "prod", "freeze", "api-key:ci", until: null, note: "for bob");
        var (resumed, job) = await control.ResumeAsync("platform", "prod", "entra:alice@contoso.com", note: "done");

        Assert.Equal(("api-key:ci", "Suspended by api-key:ci (note: for bob): freeze (until resumed)."), (suspended.RequestedBy, suspended.Summary));
        Assert.Null((await states.GetAsync("platform/prod"))!.Value.State.Suspension);
        Assert.Equal(("entra:alice@contoso.com", "entra:alice@contoso.com"), (resumed.RequestedBy, job.RequestedBy));
        Assert.StartsWith("Resumed by entra:alice@contoso.com (note: done) (suspended by api-key:ci: freeze)", resumed.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspend_Needs_A_Reason_And_A_Future_Until()
    {
        var states = new InMemoryStateStore();
        var control = new EnvironmentControl(states, _runs, _queue);

        await Assert.ThrowsAsync<ArgumentException>(() => control.SuspendAsync("platform", "prod", " ", "alice", until: null));
        await Assert.ThrowsAsync<ArgumentException>(() => control.SuspendAsync("platform", "prod", "x", "alice", DateTimeOffset.UtcNow.AddMinutes(-1)));
        await Assert.ThrowsAsync<ArgumentException>(() => control.SuspendAsync("platform", "prod", new string('r', EnvironmentControl.MaxTextLength + 1), "alice", until: null));
        await Assert.ThrowsAsync<ArgumentException>(() => control.SuspendAsync("platform", "prod", "x", "alice", until: null, note: new string('n', EnvironmentControl.MaxTextLength + 1)));

        Assert.Null(await states.GetAsync("platform/prod"));
        Assert.Empty(_runs.Saved);
    }
}
