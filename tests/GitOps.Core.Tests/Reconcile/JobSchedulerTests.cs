using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Core.Tests.Reconcile;

public sealed class JobSchedulerTests
{
    private readonly InMemoryStateStore _states = new();
    private readonly InMemoryQueue _queue = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-01T10:00:00Z"));

    private static ReconcileJob Job(string? commit) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = RunTrigger.Push,
        EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z"),
    };

    [Fact]
    public async Task Thirty_Requests_For_One_Environment_And_Commit_Queue_One_Job()
    {
        var scheduler = new JobScheduler(_states, _queue, _time);
        var sha = new string('a', 40);

        var enqueued = 0;
        for (var i = 0; i < 30; i++)
        {
            enqueued += await scheduler.EnqueueOnceAsync(Job(sha)) ? 1 : 0;
        }

        Assert.Equal(1, enqueued);
        Assert.Single(_queue.Enqueued);
        Assert.True(await scheduler.EnqueueOnceAsync(Job(new string('b', 40))));
        Assert.True(await scheduler.EnqueueOnceAsync(Job(null)));
        Assert.Equal(3, _queue.Enqueued.Count);
    }

    [Fact]
    public async Task A_Mark_Older_Than_The_Expiry_No_Longer_Blocks_A_New_Job()
    {
        var scheduler = new JobScheduler(_states, _queue, _time);
        var sha = new string('a', 40);
        Assert.True(await scheduler.EnqueueOnceAsync(Job(sha)));

        _time.Advance(JobScheduler.PendingExpiry);

        Assert.True(await scheduler.EnqueueOnceAsync(Job(sha)));
        Assert.Equal(2, _queue.Enqueued.Count);
    }

    [Fact]
    public async Task A_Failed_Send_Leaves_No_Mark_So_A_Retry_Can_Enqueue()
    {
        var sha = new string('a', 40);
        var failing = new JobScheduler(_states, new FailingQueue(), _time);
        await Assert.ThrowsAsync<IOException>(() => failing.EnqueueOnceAsync(Job(sha)));

        Assert.True(await new JobScheduler(_states, _queue, _time).EnqueueOnceAsync(Job(sha)));
    }

    [Fact]
    public async Task A_State_Too_Busy_To_Mark_Still_Gets_The_Job_Queued()
    {
        var scheduler = new JobScheduler(new AlwaysConflicting(), _queue, _time);

        Assert.True(await scheduler.EnqueueOnceAsync(Job(new string('a', 40))));

        Assert.Single(_queue.Enqueued);
    }

    private sealed class AlwaysConflicting : GitOps.Core.Ports.IEnvironmentStateStore
    {
        public Task<(EnvironmentState State, string ETag)?> GetAsync(string environmentKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<(EnvironmentState, string)?>((EnvironmentState.New("platform", "prod"), "\"1\""));

        public Task<string> SaveAsync(EnvironmentState state, string? etag, CancellationToken cancellationToken = default) =>
            throw new GitOps.Core.Ports.ConcurrencyConflictException("busy");

        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    private sealed class FailingQueue : GitOps.Core.Ports.IJobQueue
    {
        public Task EnqueueAsync(ReconcileJob job, TimeSpan delay = default, CancellationToken cancellationToken = default) =>
            throw new IOException("queue unavailable");

        public Task EnqueueAsync(PushJob job, CancellationToken cancellationToken = default) =>
            throw new IOException("queue unavailable");
    }
}
