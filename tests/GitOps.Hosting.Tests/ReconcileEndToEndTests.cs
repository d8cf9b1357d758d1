using Azure.Storage.Blobs.Specialized;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>Jobs through the real queue, listener, reconciler, git repository, Azurite and ARM simulator.</summary>
[Collection(HostingCollection.ReconcileEndToEnd)]
[Trait("Category", "Integration")]
public sealed class ReconcileEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static ReconcileJob Job(string environment, string? commit, RunTrigger trigger = RunTrigger.Push) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "app",
        Environment = environment,
        Commit = commit,
        Trigger = trigger,
        EnqueuedAt = DateTimeOffset.UtcNow,
    };

    // Finished runs only: a run's Running record appears first and is replaced by its final one.
    private static async Task<IReadOnlyList<RunRecord>> RunsAsync(GitOpsRuntime runtime, string environment = "dev") =>
        (await runtime.Storage.Runs.ListAsync($"app/{environment}", 100)).Where(r => r.Outcome != RunOutcome.Running).ToList();

    [Fact]
    public async Task A_Pushed_Commit_Is_Applied_And_Recorded_And_A_Second_Job_For_It_Writes_Nothing()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        using var listener = Listeners.Reconcile(runtime);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            await runtime.Storage.Jobs.EnqueueAsync(Job("dev", commit));
            var runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Count == 1, Deadline, "the first run");
            var run = Assert.Single(runs);
            Assert.Equal(RunOutcome.Applied, run.Outcome);
            Assert.Equal(commit, run.Commit!.Sha);
            Assert.NotNull(await runtime.Storage.Runs.GetAsync(run.RunId));

            // The reconciler saves the run record before the environment state: wait for the state of this run.
            var saved = await Poll.UntilAsync(
                () => runtime.Storage.States.GetAsync("app/dev"), s => s?.State.LastRunId == run.RunId, Deadline, "the state after the first run");
            var state = saved!.Value.State;
            Assert.Equal(commit, state.LastApplied!.Sha);
            Assert.Single(state.Inventory.Entries);
            var writes = world.Writes();
            Assert.Equal(1, writes.Count(w => w.Method == "PUT" && w.StatusCode == 201 && w.Path.EndsWith("/resourceGroups/rg-dev", StringComparison.OrdinalIgnoreCase)));
            Assert.DoesNotContain(writes, w => w.Path.Contains("rg-prod", StringComparison.OrdinalIgnoreCase));

            await runtime.Storage.Jobs.EnqueueAsync(Job("dev", commit));
            runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Count == 2, Deadline, "the second run");
            Assert.Equal(RunOutcome.NoChanges, runs[0].Outcome);
            Assert.Equal(writes.Count, world.Writes().Count);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Stopping_Past_The_Grace_Period_Interrupts_A_Reconcile_Releases_Its_Lease_And_Its_Message_At_Once()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();

        // ARM hangs on this test's writes, so the reconcile is still applying when the listener stops.
        arm.State.AddFault(new GitOps.ArmSimulator.ArmFaultRule { Method = "PUT", PathPattern = $"*/subscriptions/{world.SubscriptionId}/*", StatusCode = 503, Latency = TimeSpan.FromSeconds(30) });
        try
        {
            using var listener = new GitOps.Hosting.Standalone.QueueListener(
                runtime.Storage.Queue,
                async (text, dequeueCount, ct) => (await runtime.Reconcile.RunAsync(text, dequeueCount, ct)).Disposition,
                runtime.Settings.Queue with { VisibilityTimeout = TimeSpan.FromSeconds(60) },
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            {
                ShutdownGrace = TimeSpan.FromSeconds(1),
            };
            await listener.StartAsync(CancellationToken.None);
            await runtime.Storage.Jobs.EnqueueAsync(Job("dev", commit));
            // The reconcile has read ARM (observe); its write then hangs, so it is in flight whenever the stop comes.
            await Poll.UntilAsync(
                () => arm.State.Requests.Any(r => r.Method == "GET" && string.Equals(r.SubscriptionId, world.SubscriptionId, StringComparison.OrdinalIgnoreCase)),
                Deadline,
                "the reconcile to observe ARM");
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await listener.StopAsync(CancellationToken.None).WaitAsync(Deadline);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        }
        finally
        {
            arm.State.ClearFaults();
        }

        // Released at once (not after the 60 s retry delay), and the lease is free for the next worker.
        var again = Assert.Single(await runtime.Storage.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(2, again.DequeueCount);
        await using var lease = await runtime.Storage.Locks.TryAcquireAsync("app/dev");
        Assert.NotNull(lease);
    }

    [Fact]
    public async Task A_Job_Whose_Repository_Is_Gone_Is_Recorded_Failed_Once_Without_Retries_Or_Poison()
    {
        using var world = new TestWorld(azurite, arm);
        var commit = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        using var listener = Listeners.Reconcile(runtime);
        using var poison = Listeners.Poison(runtime);
        var path = world.Repository.RepositoryPath;
        Directory.Move(path, path + "-gone");
        try
        {
            await runtime.Storage.Jobs.EnqueueAsync(Job("dev", commit));
            await listener.StartAsync(CancellationToken.None);
            await poison.StartAsync(CancellationToken.None);
            var runs = await Poll.UntilAsync(
                async () => (await RunsAsync(runtime), await runtime.Storage.Queue.GetApproximateMessageCountAsync(), await runtime.Storage.Queue.GetPoisonQueueClient().GetApproximateMessageCountAsync()),
                r => r.Item1.Count > 0 && r.Item2 == 0 && r.Item3 == 0 && r.Item1[0].Outcome == RunOutcome.Failed,
                Deadline,
                "the failure to be recorded");
            var run = Assert.Single(runs.Item1);
            Assert.Equal((1, false), (run.Attempt, run.Transient));
            Assert.Contains("config reposit", run.Summary, StringComparison.Ordinal);
            Assert.Empty(world.Writes());
            Assert.Equal(RunOutcome.Failed, (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.LastOutcome);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
            await poison.StopAsync(CancellationToken.None);
            Directory.Move(path + "-gone", path);
        }
    }

    [Fact]
    public async Task Two_Workers_Never_Apply_One_Environment_At_Once_And_Every_Job_Ends_In_A_Record()
    {
        using var world = new TestWorld(azurite, arm);
        for (var i = 0; i < 4; i++)
        {
            world.WriteResourceGroup("envs/dev", $"rg-dev-{i}");
        }

        var first = world.CommitConfig("four groups", ("dev", "envs/dev", "main"));
        for (var i = 0; i < 4; i++)
        {
            world.WriteResourceGroup("envs/dev", $"rg-dev-{i}", tag: "team-b");
        }

        world.WriteResourceGroup("envs/dev", "rg-dev-4");
        var second = world.Repository.Commit("retag and a fifth group");

        var workerA = await world.RuntimeAsync();
        var workerB = await world.RuntimeAsync();
        using var listenerA = Listeners.Reconcile(workerA);
        using var listenerB = Listeners.Reconcile(workerB);
        ReconcileJob[] jobs = [Job("dev", first), Job("dev", second), Job("dev", first), Job("dev", null, RunTrigger.Manual), Job("dev", second)];
        foreach (var job in jobs)
        {
            await workerA.Storage.Jobs.EnqueueAsync(job);
        }

        await listenerA.StartAsync(CancellationToken.None);
        await listenerB.StartAsync(CancellationToken.None);
        IReadOnlyList<RunRecord> runs;
        try
        {
            runs = await Poll.UntilAsync(() => RunsAsync(workerA), r => r.Count >= jobs.Length, TimeSpan.FromSeconds(60), "a record for every job");
        }
        finally
        {
            await listenerA.StopAsync(CancellationToken.None);
            await listenerB.StopAsync(CancellationToken.None);
        }

        // Every job ends in exactly one record, each a normal end.
        Assert.Equal(jobs.Select(j => j.JobId).Order(), runs.Select(r => r.JobId!).Order());
        Assert.All(runs, r => Assert.Contains(r.Outcome, new[] { RunOutcome.Applied, RunOutcome.NoChanges, RunOutcome.Superseded }));

        // The lease serialises runs: their windows (taken inside the lease) never overlap ...
        var windows = runs.Select(r => (Start: r.StartedAt, End: r.FinishedAt!.Value, r.Outcome)).OrderBy(w => w.Start).ToList();
        for (var i = 1; i < windows.Count; i++)
        {
            Assert.True(windows[i].Start >= windows[i - 1].End, $"run windows overlap: {windows[i - 1]} and {windows[i]}");
        }

        // ... and every ARM write of this environment happened inside one applying run's window.
        var writes = world.Writes();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.Single(windows, x => x.Outcome == RunOutcome.Applied && w.Time >= x.Start && w.Time <= x.End));

        var state = (await workerB.Storage.States.GetAsync("app/dev"))!.Value.State;
        Assert.Equal(second, state.LastApplied!.Sha);
        Assert.Equal(5, state.Inventory.Entries.Count);
        Assert.Equal(5, writes.Count(w => w.Method == "PUT" && w.StatusCode == 201));
    }

    [Fact]
    public async Task A_Job_For_An_Environment_Leased_By_A_Dead_Worker_Waits_Then_Converges_Without_Duplicate_Creates()
    {
        using var world = new TestWorld(azurite, arm);
        world.WriteResourceGroup("envs/dev", "rg-dev-a");
        world.WriteResourceGroup("envs/dev", "rg-dev-b");
        var commit = world.CommitConfig("two groups", ("dev", "envs/dev", "main"));
        var runtime = await world.RuntimeAsync();

        // The dead worker: it took the environment's lease and then vanished (no renewal, no release).
        await using (var lease = await runtime.Storage.Locks.TryAcquireAsync("app/dev"))
        {
            Assert.NotNull(lease);
        }

        const string LockBlob = "environments/app/dev/lock";
        // Held without expiry, so a slow machine cannot let it lapse before the deferrals are seen; broken below.
        await runtime.Storage.Blobs.GetBlobClient(LockBlob).GetBlobLeaseClient().AcquireAsync(Azure.Storage.Blobs.Specialized.BlobLeaseClient.InfiniteLeaseDuration);

        using var listener = Listeners.Reconcile(runtime);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            await runtime.Storage.Jobs.EnqueueAsync(Job("dev", commit));

            // Deferred, not failed: the message was handled and the job put back for later; nothing ran.
            await Poll.UntilAsync(() => listener.Processed >= 2, Deadline, "two deferrals");
            Assert.Empty(await RunsAsync(runtime));
            Assert.Empty(world.Writes());

            // The lease ends (broken here, as a dead worker's lease would expire).
            await runtime.Storage.Blobs.GetBlobClient(LockBlob).GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
            var runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Count == 1, Deadline, "the run after the lease expired");
            Assert.Equal(RunOutcome.Applied, runs[0].Outcome);

            // A redelivery of the same job changes nothing.
            await runtime.Storage.Jobs.EnqueueAsync(Job("dev", commit));
            runs = await Poll.UntilAsync(() => RunsAsync(runtime), r => r.Count == 2, Deadline, "the repeated run");
            Assert.Equal(RunOutcome.NoChanges, runs[0].Outcome);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }

        var creates = world.Writes().Where(w => w.Method == "PUT" && w.StatusCode == 201).GroupBy(w => w.Path.ToLowerInvariant()).ToList();
        Assert.Equal(2, creates.Count);
        Assert.All(creates, g => Assert.Single(g));
        Assert.Equal(2, world.Writes().Count);
    }
}
