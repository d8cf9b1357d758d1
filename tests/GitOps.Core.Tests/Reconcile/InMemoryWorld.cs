using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>The in-memory ports a reconciler test needs, and the jobs it sends (repository <c>platform</c>, environment <c>prod</c>).</summary>
internal sealed class InMemoryWorld
{
    public const string Subscription = "00000000-0000-0000-0000-0000000000aa";

    public FakeConfigSource Source { get; } = new();

    public FakeArmClient Arm { get; } = new();

    public InMemoryRunStore Runs { get; } = new();

    public InMemoryStateStore States { get; } = new();

    public InMemoryLock Locks { get; } = new();

    public InMemoryQueue Queue { get; } = new();

    /// <summary>PUTs and DELETEs sent so far.</summary>
    public int Writes => Arm.Calls.Count(c => c.Method is "PUT" or "DELETE");

    public Reconciler Reconciler(ReconcilerOptions? options = null, TimeProvider? timeProvider = null, IJobQueue? queue = null) =>
        new(Source, Arm, Runs, States, Locks, queue ?? Queue, options, timeProvider);

    public async Task<EnvironmentState> StateAsync() => (await States.GetAsync("platform/prod"))!.Value.State;

    public static ReconcileJob Job(string? commit, RunTrigger trigger = RunTrigger.Push) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = trigger,
        EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z"),
    };
}
