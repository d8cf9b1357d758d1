using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>
/// An environment of a resource group and <see cref="Accounts"/> storage accounts, a clock that moves one second per
/// ARM write (so a run spends its budget in writes, deterministically), in-memory ports and a checkpoint store; and the
/// means to kill a worker at any side effect (<see cref="KillSwitch"/>) and drain the queue as the host would.
/// </summary>
internal sealed class CheckpointWorld
{
    public const string Subscription = InMemoryWorld.Subscription;
    public const string Key = "platform/prod";
    public const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-app";

    public CheckpointWorld(int accounts = 12)
    {
        Accounts = accounts;
        Arm = new FakeArmClient
        {
            BeforeWrite = _ =>
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                return Task.CompletedTask;
            },
        };
    }

    public int Accounts { get; }

    public FakeConfigSource Source { get; } = new();

    public FakeArmClient Arm { get; }

    public InMemoryRunStore Runs { get; } = new();

    public InMemoryStateStore States { get; } = new();

    public InMemoryLock Locks { get; } = new();

    public InMemoryQueue Queue { get; } = new();

    public InMemoryCheckpointStore Checkpoints { get; } = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));

    /// <summary>PUTs that took effect, by id (a PUT that hangs before its effect is not one).</summary>
    public ConcurrentDictionary<string, int> Effects { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ReconcilerOptions Options { get; set; } = ReconcilerOptions.Default with
    {
        RunBudget = TimeSpan.FromSeconds(5),
        RunBudgetGrace = TimeSpan.FromHours(1),
        CheckpointWindow = 3,
        ObserveChunk = 4,
        RecordRetryDelay = TimeSpan.Zero,
        BurstSettleWindow = TimeSpan.Zero,
    };

    public static string AccountId(int i) => $"{GroupId}/providers/Microsoft.Storage/storageAccounts/st{i:D3}app";

    public IEnumerable<string> AllIds => [GroupId, .. Enumerable.Range(0, Accounts).Select(AccountId)];

    public string Commit(string tls = "TLS1_2", string message = "change") => Source.Commit("main", files =>
    {
        files.Add("gitops.yaml", $"""
            environments:
              - name: prod
                path: envs/prod
                branch: main
                subscriptionId: {Subscription}
            """);
        var yaml = new System.Text.StringBuilder("""
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-app
            location: westeurope

            """);
        for (var i = 0; i < Accounts; i++)
        {
            yaml.Append($"""
                ---
                type: Microsoft.Storage/storageAccounts@2023-05-01
                name: st{i:D3}app
                resourceGroup: rg-app
                location: westeurope
                sku: {"{"} name: Standard_LRS {"}"}
                kind: StorageV2
                properties:
                  minimumTlsVersion: {tls}

                """);
        }

        files.Add("envs/prod/app.yaml", yaml.ToString());
    }, message);

    /// <summary>A reconciler of one worker; with a kill switch, every side effect of that worker goes through it.</summary>
    public Reconciler Worker(KillSwitch? kill = null)
    {
        IArmResourceClient arm = new CountingArm(Arm, Effects);
        IRunStore runs = Runs;
        IEnvironmentStateStore states = States;
        IRunCheckpointStore checkpoints = Checkpoints;
        IJobQueue queue = Queue;
        if (kill is not null)
        {
            arm = new DyingArm(arm, kill);
            runs = new DyingRuns(runs, kill);
            states = new DyingStates(states, kill);
            checkpoints = new DyingCheckpoints(checkpoints, kill);
            queue = new DyingQueue(queue, kill);
        }

        return new Reconciler(Source, arm, runs, states, Locks, queue, Options, Time, secrets: null, checkpoints: checkpoints);
    }

    public static ReconcileJob Job(string? commit, RunTrigger trigger = RunTrigger.Push, string jobId = "job-1") => new()
    {
        JobId = jobId,
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = trigger,
        EnqueuedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"),
    };

    /// <summary>
    /// Runs queued jobs as the host would (each delivery on a fresh worker, the clock moved past each job's delay)
    /// until none is left; returns the results in order.
    /// </summary>
    public async Task<List<(ReconcileJob Job, ReconcileResult Result)>> DrainAsync(int max = 200)
    {
        var done = new List<(ReconcileJob, ReconcileResult)>();
        while (Queue.Enqueued.TryDequeue(out var next))
        {
            Assert.True(done.Count < max, $"The queue did not drain after {max} jobs: {string.Join(", ", done.Select(d => d.Item2.Disposition))}");
            if (next.Delay > TimeSpan.Zero)
            {
                Time.Advance(next.Delay);
            }

            var result = await Worker().ReconcileAsync(next.Job);
            done.Add((next.Job, result));
            if (result.Disposition == JobDisposition.Retry)
            {
                Queue.Enqueued.Enqueue((next.Job, TimeSpan.Zero));
            }
        }

        return done;
    }

    public async Task<EnvironmentState> StateAsync() => (await States.GetAsync(Key))!.Value.State;

    /// <summary>PUTs that took effect, by id, from the ARM simulator's point of view.</summary>
    private sealed class CountingArm(IArmResourceClient inner, ConcurrentDictionary<string, int> effects) : IArmResourceClient
    {
        public Task<ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
            inner.GetAsync(resourceId, apiVersion, cancellationToken);

        public Task<ArmListPage> ListAsync(string collectionId, string apiVersion, string? nextLink, CancellationToken cancellationToken = default) =>
            inner.ListAsync(collectionId, apiVersion, nextLink, cancellationToken);

        public async Task<ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, JsonObject body, CancellationToken cancellationToken = default)
        {
            var written = await inner.CreateOrUpdateAsync(resourceId, apiVersion, body, cancellationToken);
            effects.AddOrUpdate(resourceId, 1, (_, n) => n + 1);
            return written;
        }

        public Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(resourceId, apiVersion, cancellationToken);
    }
}

/// <summary>
/// Kills a worker at its Nth side effect (an ARM write, a record, a state, a checkpoint write or delete, an enqueue),
/// before or after the effect takes place: from then on every call of that worker hangs forever, as if its process had
/// died (nothing of it runs again, not even a <c>finally</c>).
/// </summary>
internal sealed class KillSwitch(int at, bool afterEffect)
{
    private int _remaining = at;

    public bool AfterEffect { get; } = afterEffect;

    public bool Dead { get; private set; }

    public string? Where { get; private set; }

    public TaskCompletionSource Died { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<T> StepAsync<T>(string what, Func<Task<T>> effect)
    {
        if (Dead)
        {
            await Task.Delay(Timeout.Infinite);
        }

        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Where = what;
            if (AfterEffect)
            {
                await effect();
            }

            Dead = true;
            Died.TrySetResult();
            await Task.Delay(Timeout.Infinite);
        }

        return await effect();
    }

    public Task StepAsync(string what, Func<Task> effect) => StepAsync(what, async () =>
    {
        await effect();
        return true;
    });

    public async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        if (Dead)
        {
            await Task.Delay(Timeout.Infinite);
        }

        return await read();
    }
}

internal sealed class DyingArm(IArmResourceClient inner, KillSwitch kill) : IArmResourceClient
{
    public Task<ArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.GetAsync(resourceId, apiVersion, cancellationToken));

    public Task<ArmListPage> ListAsync(string collectionId, string apiVersion, string? nextLink, CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.ListAsync(collectionId, apiVersion, nextLink, cancellationToken));

    public Task<ArmResource> CreateOrUpdateAsync(string resourceId, string apiVersion, JsonObject body, CancellationToken cancellationToken = default) =>
        kill.StepAsync($"PUT {resourceId}", () => inner.CreateOrUpdateAsync(resourceId, apiVersion, body, cancellationToken));

    public Task DeleteAsync(string resourceId, string apiVersion, CancellationToken cancellationToken = default) =>
        kill.StepAsync($"DELETE {resourceId}", () => inner.DeleteAsync(resourceId, apiVersion, cancellationToken));
}

internal sealed class DyingRuns(IRunStore inner, KillSwitch kill) : IRunStore
{
    public Task SaveAsync(RunRecord run, CancellationToken cancellationToken = default) =>
        kill.StepAsync($"record {run.Outcome}", () => inner.SaveAsync(run, cancellationToken));

    public Task<IReadOnlyList<RunRecord>> ListAsync(string? environmentKey, int max, CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.ListAsync(environmentKey, max, cancellationToken));

    public Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.GetAsync(runId, cancellationToken));

    public Task<string?> SaveDetailAsync(RunDetail detail, CancellationToken cancellationToken = default) =>
        kill.StepAsync("full plan", () => inner.SaveDetailAsync(detail, cancellationToken));

    public Task<RunDetail?> GetDetailAsync(string runId, CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.GetDetailAsync(runId, cancellationToken));
}

internal sealed class DyingStates(IEnvironmentStateStore inner, KillSwitch kill) : IEnvironmentStateStore
{
    public Task<(EnvironmentState State, string ETag)?> GetAsync(string environmentKey, CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.GetAsync(environmentKey, cancellationToken));

    public Task<string> SaveAsync(EnvironmentState state, string? etag, CancellationToken cancellationToken = default) =>
        kill.StepAsync("state", () => inner.SaveAsync(state, etag, cancellationToken));

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.ListAsync(cancellationToken));
}

internal sealed class DyingCheckpoints(IRunCheckpointStore inner, KillSwitch kill) : IRunCheckpointStore
{
    public Task<StoredRunCheckpoint?> GetAsync(string environmentKey, CancellationToken cancellationToken = default) =>
        kill.ReadAsync(() => inner.GetAsync(environmentKey, cancellationToken));

    public Task<string> SaveAsync(RunCheckpoint checkpoint, string? etag, CancellationToken cancellationToken = default) =>
        kill.StepAsync($"checkpoint ticket {checkpoint.Ticket}", () => inner.SaveAsync(checkpoint, etag, cancellationToken));

    public Task DeleteAsync(string environmentKey, string etag, CancellationToken cancellationToken = default) =>
        kill.StepAsync("checkpoint delete", () => inner.DeleteAsync(environmentKey, etag, cancellationToken));
}

internal sealed class DyingQueue(IJobQueue inner, KillSwitch kill) : IJobQueue
{
    public Task EnqueueAsync(ReconcileJob job, TimeSpan delay = default, CancellationToken cancellationToken = default) =>
        kill.StepAsync($"enqueue {job.ContinuesRun ?? job.JobId}/{job.Segment}", () => inner.EnqueueAsync(job, delay, cancellationToken));

    public Task EnqueueAsync(PushJob job, CancellationToken cancellationToken = default) =>
        kill.StepAsync("enqueue push", () => inner.EnqueueAsync(job, cancellationToken));
}
