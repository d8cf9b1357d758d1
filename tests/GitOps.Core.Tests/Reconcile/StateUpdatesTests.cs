using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

public sealed class StateUpdatesTests
{
    /// <summary>Counts reads, so a test can tell whether the loop used what the caller knew.</summary>
    private sealed class CountingStateStore(InMemoryStateStore inner) : IEnvironmentStateStore
    {
        public int Reads { get; private set; }

        public Task<(EnvironmentState State, string ETag)?> GetAsync(string environmentKey, CancellationToken cancellationToken = default)
        {
            Reads++;
            return inner.GetAsync(environmentKey, cancellationToken);
        }

        public Task<string> SaveAsync(EnvironmentState state, string? etag, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(state, etag, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }

    [Fact]
    public async Task A_Known_Current_State_Is_Written_Without_A_Read()
    {
        var inner = new InMemoryStateStore();
        var etag = await inner.SaveAsync(EnvironmentState.New("app", "prod"), etag: null);
        var states = new CountingStateStore(inner);

        var written = await states.UpdateAsync("app", "prod", s => s with { LastRunId = "r1" }, known: (EnvironmentState.New("app", "prod"), etag));

        Assert.Equal(0, states.Reads);
        Assert.Equal("r1", written!.Value.State.LastRunId);
        Assert.Equal("r1", (await inner.GetAsync("app/prod"))!.Value.State.LastRunId);
    }

    [Fact]
    public async Task A_Stale_Known_State_Is_Read_Again_And_The_Change_Merged_Into_The_Newer_One()
    {
        var inner = new InMemoryStateStore();
        var stale = await inner.SaveAsync(EnvironmentState.New("app", "prod"), etag: null);
        await inner.SaveAsync(EnvironmentState.New("app", "prod") with { Suspension = new Suspension("incident", "alice", DateTimeOffset.UnixEpoch, null) }, stale);
        var states = new CountingStateStore(inner);

        await states.UpdateAsync("app", "prod", s => s with { LastRunId = "r1" }, known: (EnvironmentState.New("app", "prod"), stale));

        var state = (await inner.GetAsync("app/prod"))!.Value.State;
        Assert.Equal(1, states.Reads);
        Assert.Equal(("r1", "incident"), (state.LastRunId, state.Suspension?.Reason));
    }

    [Fact]
    public async Task A_Change_That_Declines_Writes_Nothing()
    {
        var inner = new InMemoryStateStore();

        var written = await inner.UpdateAsync("app", "prod", _ => null);

        Assert.Null(written);
        Assert.Null(await inner.GetAsync("app/prod"));
    }

    [Fact]
    public async Task Losing_Every_Attempt_Is_Reported_Not_Swallowed()
    {
        var inner = new InMemoryStateStore();
        await inner.SaveAsync(EnvironmentState.New("app", "prod"), etag: null);
        var writes = 0;

        // Each change lands a competing write first, so every attempt of the loop loses its race.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => inner.UpdateAsync("app", "prod", s =>
        {
            var current = inner.GetAsync("app/prod").GetAwaiter().GetResult()!.Value;
            inner.SaveAsync(current.State with { LastRunId = $"other-{++writes}" }, current.ETag).GetAwaiter().GetResult();
            return s with { LastRunId = "mine" };
        }, attempts: 3));

        Assert.Equal(3, writes);
        Assert.Equal("other-3", (await inner.GetAsync("app/prod"))!.Value.State.LastRunId);
    }
}
