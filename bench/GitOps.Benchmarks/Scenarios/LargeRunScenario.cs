using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GitOps.Arm;
using GitOps.ArmSimulator;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.DevEnvironment;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>large</c> (issue 19): a first apply of N resources (N − 10 storage accounts in 10 resource groups) and then a
/// no-op drift run, through the real
/// <see cref="Reconciler"/> with its storage on Azurite (records, state, checkpoints, leases) and ARM as the simulator
/// over HTTPS, with a short time budget so the long first apply runs in segments. Reports the segments, the checkpoint
/// writes and the sizes of what is stored: the run record, the full plan beside it, the environment state.
/// </summary>
internal static class LargeRunScenario
{
    private const string Subscription = "5a1e0000-0000-4000-8000-000000000019";
    private const int Groups = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (Option(args, "--resources") ?? "1000,10000").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var budget = TimeSpan.FromSeconds(double.Parse(Option(args, "--budget-seconds") ?? "60", CultureInfo.InvariantCulture));
        var throttling = Option(args, "--throttling") != "off";
        Console.WriteLine(MachineInfo.Describe());
        Console.WriteLine($"large: budget {budget.TotalSeconds:0} s per segment, throttling {(throttling ? "on" : "off")}");
        var met = true;
        foreach (var n in sizes)
        {
            met &= await MeasureAsync(n, budget, throttling);
        }

        return met ? 0 : 2;
    }

    private static async Task<bool> MeasureAsync(int resources, TimeSpan budget, bool throttling)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        // Past 10,000 resources the checkpoints (5 MB and more each) outgrow Azurite's in-memory store (256 MB), which
        // then refuses writes: on disk instead.
        await using var disk = resources > 10_000
            ? await AzuriteProcess.StartAsync(new AzuriteStartOptions(AzuriteInstaller.Find(RepositoryRoot.Find())!) { PersistToDisk = true })
            : null;
        try
        {
            await using var simulator = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions
            {
                Throttling = new ArmThrottlingOptions { Enabled = throttling },
                MaxRequestLogEntries = 4 * resources + 1000,
            });
            var clientOptions = new ArmResourceClientOptions { Cloud = ArmCloud.Custom(simulator.Endpoint), CaCertificatePem = simulator.CertificatePem };
            clientOptions.ThrottleBudget.Enabled = throttling;
            var arm = new ArmResourceClient(new StaticTokenCredential("large-run-benchmark"), clientOptions);
            var storage = await GitOpsStorage.CreateAsync(StorageConnection.Parse(disk?.ConnectionString ?? azurite.ConnectionString), new GitOpsStorageOptions
            {
                ContainerName = AzuriteFixture.UniqueName("large"),
                QueueName = AzuriteFixture.UniqueName("large"),
                TableName = "large" + Guid.NewGuid().ToString("N")[..12],
            });
            // N declared resources in all, so that the write floor is the issue's (N − 200) / 10 s.
            var accounts = resources - Groups;
            var source = new BenchConfigSource(accounts, Groups, Subscription);
            var queue = new CapturedQueue();
            var checkpoints = new MeasuredCheckpoints(storage.Checkpoints);
            var options = ReconcilerOptions.Default with { RunBudget = budget, TargetedPushes = true };
            var reconciler = new Reconciler(source, arm, storage.Runs, storage.States, storage.Locks, queue, options, TimeProvider.System, secrets: null, checkpoints: checkpoints);

            Console.WriteLine($"{resources:N0} resources: {accounts:N0} storage accounts in {Groups} groups, and the groups:");
            var first = await RunToTheEndAsync(reconciler, queue, Job(RunTrigger.Push, source.Sha));
            await ReportAsync("first apply", first, storage, checkpoints, resources, throttling);
            // Issue 19, item 2: existence from list calls, so the first apply reads no resource that does not exist yet.
            var firstReads = simulator.State.Requests.Where(r => r.Method == "GET").ToList();
            var lists = firstReads.Count(r => r.Path.EndsWith("/resourceGroups", StringComparison.OrdinalIgnoreCase) || r.Path.EndsWith("/storageAccounts", StringComparison.OrdinalIgnoreCase));
            Console.WriteLine($"    the first apply read {lists:N0} list page(s) and {firstReads.Count - lists:N0} resource(s) (GETs of resources that did not exist: {firstReads.Count(r => r.StatusCode == 404):N0})");
            checkpoints.Reset();
            var sweepStart = simulator.State.Requests.Count;
            var noop = await RunToTheEndAsync(reconciler, queue, Job(RunTrigger.Drift, null));
            var ok = await ReportAsync("no-op drift run", noop, storage, checkpoints, resources, throttling);
            Console.WriteLine($"    the drift run (a full sweep) made {simulator.State.Requests.Skip(sweepStart).Count(c => c.Method == "GET"):N0} GET(s)");
            var state = await SizeAsync(storage, $"environments/platform/big/state.json");
            var record = await SizeAsync(storage, $"runs/platform/big/{noop.Run.RunId}.json");

            // Issue 16, item 6: a one-resource push to the environment, targeted by the inventory's digests.
            var before = simulator.State.Requests.Count;
            var push = await RunToTheEndAsync(reconciler, queue, Job(RunTrigger.Push, source.ChangeOneAccount()));
            var calls = simulator.State.Requests.Skip(before).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  one-resource push (targeted): {push.Run.Outcome}, {push.Wall.TotalSeconds:0.0} s, {calls.Count(c => c.Method == "GET")} GET(s), {calls.Count(c => c.Method == "PUT")} PUT(s), observed {push.Run.Scope?.ObservedCount.ToString(CultureInfo.InvariantCulture) ?? "all"}"));
            // Issue 19 sets the state's target at 10,000 resources (2 MB); past that it scales with N.
            var stateLimit = 2 * 1024 * 1024 * Math.Max(1, resources / 10_000.0);
            var targets = record < 200 * 1024 && state < stateLimit && first.Run.Outcome == RunOutcome.Applied && noop.Run.Outcome == RunOutcome.NoChanges;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  targets (no-op record < 200 KB, state < {stateLimit / 1024 / 1024:0.#} MB, applied then no changes): {(targets && ok ? "met" : "MISSED")}"));
            return targets && ok;
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task<(RunRecord Run, TimeSpan Wall, int Jobs)> RunToTheEndAsync(Reconciler reconciler, CapturedQueue queue, ReconcileJob job)
    {
        var wall = Stopwatch.StartNew();
        var jobs = 0;
        var deferred = 0;
        ReconcileResult result;
        while (true)
        {
            jobs++;
            result = await reconciler.ReconcileAsync(job);
            if (result.Disposition == JobDisposition.Retry && result.Run?.Outcome == RunOutcome.Running)
            {
                // A segment that stopped early: the queue would deliver its message again, which resumes.
                Console.WriteLine($"    (a segment stopped: {result.Run.Summary}; delivering its job again)");
                continue;
            }

            if (result.Disposition == JobDisposition.Deferred)
            {
                // The job found the run held between segments and queued itself after it, as on a real queue, where
                // it would wait; here no time passes, so a run that cannot go on would defer it forever.
                if (++deferred > 3)
                {
                    throw new InvalidOperationException("The job was deferred behind the run's checkpoint again and again; the run is stuck.");
                }

                Console.WriteLine("    (a job was deferred behind the run's checkpoint; delivering it again)");
                job = queue.Take();
                continue;
            }

            deferred = 0;

            if (result.Disposition != JobDisposition.Continued)
            {
                break;
            }

            job = queue.Take();
        }

        return (result.Run ?? throw new InvalidOperationException($"The run ended {result.Disposition} without a record."), wall.Elapsed, jobs);
    }

    private static async Task<bool> ReportAsync(string what, (RunRecord Run, TimeSpan Wall, int Jobs) done, GitOpsStorage storage, MeasuredCheckpoints checkpoints, int resources, bool throttling)
    {
        var run = done.Run;
        var record = await SizeAsync(storage, $"runs/platform/big/{run.RunId}.json");
        var plan = run.FullPlan is { } link ? await SizeAsync(storage, link) : 0;
        var state = await SizeAsync(storage, "environments/platform/big/state.json");
        var segments = run.Segments ?? [];
        var writes = run.ResultCounts?.Succeeded ?? 0;
        var floor = throttling ? Math.Max(0, (writes - 200) / 10.0) : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {run.Outcome}, {done.Wall.TotalSeconds:0.0} s, {Math.Max(1, segments.Count)} segment(s) in {done.Jobs} job(s), {writes:N0} write(s){(floor > 0 ? $" (write floor {floor:0} s, ratio {done.Wall.TotalSeconds / floor:0.00})" : string.Empty)}"));
        foreach (var segment in segments)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    segment {segment.Number}: {((segment.EndedAt ?? segment.StartedAt) - segment.StartedAt).TotalSeconds,6:0.0} s, {segment.End,-9} observed {segment.Observed,6:N0}, writes {segment.Writes,6:N0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    record {Kb(record)}, full plan {Kb(plan)}, state {Kb(state)}; checkpoints: {checkpoints.Writes} write(s), largest {Kb(checkpoints.Largest)}, {checkpoints.Time.TotalSeconds:0.0} s spent writing them"));
        _ = resources;
        return run.Outcome is RunOutcome.Applied or RunOutcome.NoChanges;
    }

    private static string Kb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N1} KB");

    private static async Task<long> SizeAsync(GitOpsStorage storage, string blob)
    {
        var client = storage.Blobs.GetBlobClient(blob);
        return (await client.ExistsAsync()).Value ? (await client.GetPropertiesAsync()).Value.ContentLength : 0;
    }

    private static ReconcileJob Job(RunTrigger trigger, string? commit) => ReconcileJob.Create("platform", "big", trigger, commit, DateTimeOffset.UtcNow);

    internal static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>The follow-up jobs the reconciler queues, handed back to the loop (a queue in memory: the sizes and segments are the point).</summary>
    private sealed class CapturedQueue : IJobQueue
    {
        private readonly ConcurrentQueue<ReconcileJob> _jobs = new();

        public ReconcileJob Take() => _jobs.TryDequeue(out var job) ? job : throw new InvalidOperationException("A segment continued without queuing its follow-up.");

        public Task EnqueueAsync(ReconcileJob job, TimeSpan delay = default, CancellationToken cancellationToken = default)
        {
            _jobs.Enqueue(job);
            return Task.CompletedTask;
        }

        public Task EnqueueAsync(PushJob job, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    /// <summary>Counts and times the checkpoint writes of the blob store.</summary>
    private sealed class MeasuredCheckpoints(IRunCheckpointStore inner) : IRunCheckpointStore
    {
        public int Writes { get; private set; }

        public long Largest { get; private set; }

        public TimeSpan Time { get; private set; }

        public void Reset()
        {
            Writes = 0;
            Largest = 0;
            Time = TimeSpan.Zero;
        }

        public Task<StoredRunCheckpoint?> GetAsync(string environmentKey, CancellationToken cancellationToken = default) => inner.GetAsync(environmentKey, cancellationToken);

        public async Task<string> SaveAsync(RunCheckpoint checkpoint, string? etag, CancellationToken cancellationToken = default)
        {
            var clock = Stopwatch.StartNew();
            var written = await inner.SaveAsync(checkpoint, etag, cancellationToken);
            lock (this)
            {
                Writes++;
                Time += clock.Elapsed;
                Largest = Math.Max(Largest, RunCheckpointJson.Serialize(checkpoint).Length);
            }

            return written;
        }

        public Task DeleteAsync(string environmentKey, string etag, CancellationToken cancellationToken = default) => inner.DeleteAsync(environmentKey, etag, cancellationToken);
    }

    /// <summary>One commit of an environment of N storage accounts over G resource groups, in files of 100 documents.</summary>
    private sealed class BenchConfigSource : IConfigSource
    {
        private readonly InMemoryFileTree _files = new("large@1");
        private readonly int _accounts;
        private readonly int _groups;

        public BenchConfigSource(int accounts, int groups, string subscription)
        {
            Sha = new string('1', 40);
            _files.Add("gitops.yaml", $"""
                environments:
                  - name: big
                    path: envs/big
                    branch: main
                    subscriptionId: {subscription}
                """);
            for (var g = 0; g < groups; g++)
            {
                _files.Add($"envs/big/group-{g:D2}.yaml", BenchManifests.ResourceGroup($"rg-big-{g:D2}"));
            }

            for (var file = 0; file < BenchManifests.Files(accounts); file++)
            {
                _files.Add($"envs/big/accounts-{file:D4}.yaml", BenchManifests.StorageAccounts("stbig", "rg-big-", groups, file, accounts));
            }

            _accounts = accounts;
            _groups = groups;
        }

        public string Sha { get; private set; }

        /// <summary>A new commit in which one account (the middle one) has another owner tag: a one-resource push.</summary>
        public string ChangeOneAccount()
        {
            var target = _accounts / 2;
            _files.Add(BenchManifests.FileName("envs/big", target), BenchManifests.StorageAccounts("stbig", "rg-big-", _groups, target / BenchManifests.AccountsPerFile, _accounts, changed: target));
            Sha = new string('2', 40);
            return Sha;
        }

        private CommitInfo Info => new(Sha, "Ada Lovelace", "ada@example.com", DateTimeOffset.Parse("2026-12-01T09:00:00Z", CultureInfo.InvariantCulture), "Large environment");

        public Task<CommitInfo> ResolveAsync(string repository, string? branch, string? commit, CancellationToken cancellationToken = default) => Task.FromResult(Info);

        public string GetDefaultBranch(string repository) => "main";

        public Task<IFileTree> ReadAsync(string repository, string commit, string? folder, CancellationToken cancellationToken = default) => Task.FromResult<IFileTree>(_files);

        public Task<bool> IsAncestorAsync(string repository, string ancestor, string descendant, CancellationToken cancellationToken = default) =>
            Task.FromResult(string.Equals(ancestor, descendant, StringComparison.OrdinalIgnoreCase));
    }
}
