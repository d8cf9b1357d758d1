using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitOps.Arm;
using GitOps.ArmSimulator;
using GitOps.Core.Runs;
using GitOps.Hosting;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>fairshare [--environments 20] [--resources 500] [--pushes 3]</c> (issue 19, item 4): many environments in one
/// subscription. E environments of N storage accounts each (and 5 groups each), all in one subscription, are first
/// applied (setup, not measured: the reconciler of the same composition with an unthrottled client against the
/// simulator with throttling off). Then, through <c>gitops serve</c> with default settings and the simulator
/// throttling as ARM does (reads 250 + 25/s per subscription), the drift checks of the first E − 1 environments are
/// queued at once; once the client's budget is queuing their reads, the last environment receives pushes by signed
/// webhook, one after another. Reports each push's webhook → applied time (target: at most 10 s), the sweeps' times
/// against the read floor of the subscription, and the 429s ARM answered.
/// </summary>
internal static class FairshareScenario
{
    private const string Subscription = "fa1f0000-0000-4000-8000-000000000019";
    private const int Groups = 5;
    private const double PushTarget = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var environments = PushScenario.IntOption(args, "--environments", 20);
        var resources = PushScenario.IntOption(args, "--resources", 500);
        var pushes = PushScenario.IntOption(args, "--pushes", 3);
        if (environments < 2)
        {
            Console.Error.WriteLine("error: --environments must be at least 2 (one pushed to, the others swept).");
            return 1;
        }

        Console.WriteLine(MachineInfo.Describe());
        return await PushScenario.GuardedAsync("fairshare", (azurite, temp) => MeasureAsync(azurite, temp, environments, resources, pushes));
    }

    private static async Task<int> MeasureAsync(AzuriteFixture azurite, string temp, int environments, int resources, int pushes)
    {
        var declared = environments * (resources + Groups);
        var simulatorOptions = new ArmSimulatorOptions
        {
            Port = 0,
            CertificateOutputPath = Path.Combine(temp, "armsim.pem"),
            Throttling = new ArmThrottlingOptions { Enabled = false },
            MaxRequestLogEntries = (6 * declared) + 10_000,
        };
        await using var simulator = await ArmSimulatorServer.StartAsync(simulatorOptions);
        using var repository = GitRepositoryBuilder.Create();
        repository.WriteFile("gitops.yaml", Config(environments));
        for (var e = 0; e < environments; e++)
        {
            for (var g = 0; g < Groups; g++)
            {
                repository.WriteFile($"{Folder(e)}/group-{g:D2}.yaml", BenchManifests.ResourceGroup($"{GroupPrefix(e)}{g:D2}"));
            }

            for (var file = 0; file < BenchManifests.Files(resources); file++)
            {
                repository.WriteFile($"{Folder(e)}/accounts-{file:D4}.yaml", BenchManifests.StorageAccounts(NamePrefix(e), GroupPrefix(e), Groups, file, resources));
            }
        }

        var head = repository.Commit($"{environments} environments of {resources} storage accounts");
        var configuration = PushScenario.ServeConfiguration(azurite, repository, simulator, simulatorOptions, temp);
        Console.WriteLine($"fairshare: {environments} environments x {resources:N0} storage accounts (+ {Groups} groups each) in one subscription, through gitops serve");

        // Setup: the same composition and storage as serve, with a client that does not pace itself (the simulator
        // does not throttle yet), so the 10,000 first writes take seconds instead of ARM's 1,000 s of write budget.
        var setup = Stopwatch.StartNew();
        await FirstApplyAsync(configuration, simulator, simulatorOptions, environments, head);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  setup: first apply of {declared:N0} resources in {setup.Elapsed.TotalSeconds:0.0} s (unthrottled, not measured)"));

        // From here on ARM's read bucket applies: a fresh one, full, as the client's budget believes it is.
        simulatorOptions.Throttling.Enabled = true;
        await using var serve = await ServeHost.BuildAsync(configuration, "http://127.0.0.1:0");
        await serve.StartAsync();
        var runtime = serve.Services.GetRequiredService<GitOpsRuntime>();
        var arm = (ArmResourceClient)runtime.Arm;
        var budget = arm.ThrottleBudget ?? throw new InvalidOperationException("serve's ARM client has no throttle budget.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var webhook = new Uri(serve.Urls.First() + "/api/webhook");
        var measuredFrom = simulator.State.Requests.Count;
        var swept = Enumerable.Range(0, environments - 1).Select(Name).ToList();
        var pushed = Name(environments - 1);

        var sweepStart = DateTimeOffset.UtcNow;
        foreach (var environment in swept)
        {
            await runtime.Storage.Jobs.EnqueueAsync(ReconcileJob.Create("platform", environment, RunTrigger.Drift, commit: null, sweepStart));
        }

        // The pushes arrive once the sweeps have spent the bucket and their reads wait for refill (a run too small
        // to spend it pushes once the sweeps are done, and says so: it measures nothing about sharing).
        var queuing = Stopwatch.StartNew();
        while (budget.DelayedRequests < 100)
        {
            if (queuing.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("the sweeps neither spent the read budget nor finished within 10 minutes");
            }

            if (await RunningSweepsAsync(runtime, swept, sweepStart) == 0)
            {
                Console.WriteLine("  (the sweeps finished without spending the read budget: the pushes below are not under contention)");
                break;
            }

            await Task.Delay(100);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {swept.Count} drift sweeps queued; the client's budget queues their reads after {(DateTimeOffset.UtcNow - sweepStart).TotalSeconds:0.0} s (load average {MachineInfo.LoadAverage()})"));
        var latencies = new List<double>();
        var before = head;
        var met = true;
        for (var p = 0; p < pushes; p++)
        {
            var target = (p * 97 + resources / 2) % resources;
            var folder = Folder(environments - 1);
            var file = BenchManifests.FileName(folder, target);
            repository.WriteFile(file, BenchManifests.StorageAccounts(NamePrefix(environments - 1), GroupPrefix(environments - 1), Groups, target / BenchManifests.AccountsPerFile, resources, changed: target));
            var commit = repository.Commit($"push {p}: one account of {pushed}");
            var sent = DateTimeOffset.UtcNow;
            await PushScenario.DeliverAsync(http, webhook, before, commit, file);
            var run = await PushScenario.WaitAsync(runtime.Storage.Runs, r => PushScenario.IsFor(r, commit), TimeSpan.FromMinutes(10), $"platform/{pushed}");
            var seconds = ((run.FinishedAt ?? run.StartedAt) - sent).TotalSeconds;
            latencies.Add(seconds);
            var running = await RunningSweepsAsync(runtime, swept, sweepStart);
            met &= run.Outcome == RunOutcome.Applied && seconds <= PushTarget;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  push {p + 1} to {pushed}: {run.Outcome}, webhook -> applied {seconds:0.00} s (run {((run.FinishedAt ?? run.StartedAt) - run.StartedAt).TotalSeconds:0.00} s, observed {run.Scope?.ObservedCount.ToString(CultureInfo.InvariantCulture) ?? "all"}); sweeps still running: {running} of {swept.Count}"));
            before = commit;
        }

        // The sweeps go on to the end; each is one run (in segments when it outlasts the run budget).
        var floorGuess = Math.Max(60, (swept.Count * (resources + Groups) - 250) / 25.0);
        var sweeps = new List<RunRecord>();
        foreach (var environment in swept)
        {
            sweeps.Add(await PushScenario.WaitAsync(runtime.Storage.Runs, r => r.Trigger == RunTrigger.Drift && r.StartedAt >= sweepStart.AddSeconds(-1), TimeSpan.FromSeconds(3 * floorGuess + 300), $"platform/{environment}"));
        }

        var sweepEnd = sweeps.Max(r => r.FinishedAt ?? r.StartedAt);
        var calls = simulator.State.Requests.Skip(measuredFrom).Where(r => string.Equals(r.SubscriptionId, Subscription, StringComparison.OrdinalIgnoreCase)).ToList();
        var reads = calls.Count(c => c.Method == "GET");
        var throttled = calls.Count(c => c.StatusCode == 429);
        var floor = Math.Max(0, (reads - 250) / 25.0);
        var wall = (sweepEnd - sweepStart).TotalSeconds;
        var durations = sweeps.Select(r => ((r.FinishedAt ?? r.StartedAt) - r.StartedAt).TotalSeconds).Order().ToList();
        var segments = sweeps.Sum(r => Math.Max(1, r.Segments?.Count ?? 0));
        var outcomes = string.Join(", ", sweeps.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sweeps: {outcomes}; all done {wall:0.0} s after they were queued; each {durations[0]:0.0}-{durations[^1]:0.0} s (median {durations[durations.Count / 2]:0.0} s), {segments} segment(s) in all"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  subscription reads while measured: {reads:N0}; read floor (reads - 250) / 25 = {floor:0.0} s; wall / floor {(floor > 0 ? wall / floor : 0):0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  429s from ARM: {throttled} (client counted {arm.Counters.ThrottledResponses}); requests the budget held: {budget.DelayedRequests:N0}, {budget.TotalDelay.TotalSeconds:N0} s of waiting in all"));
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  push webhook -> applied: max {latencies[^1]:0.00} s over {latencies.Count} push(es) (target <= {PushTarget:0} s)"));
        met &= sweeps.All(r => r.Outcome == RunOutcome.NoChanges);
        Console.WriteLine($"  targets (every push applied within {PushTarget:0} s while sweeps run; every sweep no changes): {(met ? "met" : "MISSED")}; 429s: {throttled}");
        await serve.StopAsync();
        return met ? 0 : 2;
    }

    private static async Task FirstApplyAsync(Microsoft.Extensions.Configuration.IConfiguration configuration, ArmSimulatorServer simulator, ArmSimulatorOptions simulatorOptions, int environments, string head)
    {
        var clientOptions = new ArmResourceClientOptions { Cloud = ArmCloud.Custom(simulator.Endpoint), CaCertificatePem = await File.ReadAllTextAsync(simulatorOptions.CertificateOutputPath!) };
        clientOptions.ThrottleBudget.Enabled = false;
        var unpaced = new ArmResourceClient(new StaticTokenCredential("fairshare-setup"), clientOptions);
        var runtime = await GitOpsRuntime.CreateAsync(GitOpsSettings.Load(configuration), SettingsSources.Reader(configuration), NullLoggerFactory.Instance, arm: unpaced);
        var failed = new List<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, environments), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (e, ct) =>
        {
            var result = await runtime.Reconciler.ReconcileAsync(ReconcileJob.Create("platform", Name(e), RunTrigger.Push, head, DateTimeOffset.UtcNow), cancellationToken: ct);
            if (result.Run?.Outcome != RunOutcome.Applied)
            {
                lock (failed)
                {
                    failed.Add($"{Name(e)}: {result.Disposition} {result.Run?.Outcome} {result.Run?.Summary}");
                }
            }
        });

        if (failed.Count > 0)
        {
            throw new InvalidOperationException("first apply: " + string.Join("; ", failed));
        }

        // Nothing the setup queued (a follow-up segment, say) may run later under the measurement.
        if (await runtime.Storage.Queue.GetApproximateMessageCountAsync() + await runtime.Storage.DriftQueue.GetApproximateMessageCountAsync() > 0)
        {
            throw new InvalidOperationException("the first apply left jobs on the queues");
        }
    }

    private static async Task<int> RunningSweepsAsync(GitOpsRuntime runtime, IEnumerable<string> environments, DateTimeOffset since)
    {
        var running = 0;
        foreach (var environment in environments)
        {
            var runs = await runtime.Storage.Runs.ListAsync($"platform/{environment}", 5);
            running += runs.Any(r => r.Trigger == RunTrigger.Drift && r.StartedAt >= since.AddSeconds(-1) && r.Outcome != RunOutcome.Running) ? 0 : 1;
        }

        return running;
    }

    private static string Name(int e) => $"e{e:D2}";

    private static string Folder(int e) => $"envs/{Name(e)}";

    private static string NamePrefix(int e) => $"stfs{e:D2}";

    private static string GroupPrefix(int e) => $"rg-fs{e:D2}-";

    private static string Config(int environments)
    {
        var yaml = new StringBuilder("version: 1\nenvironments:\n");
        for (var e = 0; e < environments; e++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {Name(e)}\n    path: {Folder(e)}\n    branch: main\n    subscriptionId: {Subscription}\n    drift: {{ interval: 12h, mode: correct }}\n");
        }

        return yaml.ToString();
    }
}
