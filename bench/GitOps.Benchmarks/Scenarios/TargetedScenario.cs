using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.ArmSimulator.Events;
using GitOps.Core.Runs;
using GitOps.Hosting;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>targeted [--resources 1000] [--changes 50] [--throttling on|off]</c> (issue 16, item 7): through <c>gitops serve</c>
/// with default settings (its reconcile and events listeners on Azurite), a real git repository and the ARM simulator
/// over HTTPS publishing ARM events to the events queue: a first apply of N storage accounts in 10 groups, a full drift
/// sweep (time, GETs), a one-resource push (time, GETs, PUTs: a targeted push), then M out-of-band writes one after
/// another, each timed from the write to its corrected run being recorded (p50, p99) with the GETs each one cost.
/// </summary>
internal static class TargetedScenario
{
    private const string Subscription = "7a9e0000-0000-4000-8000-000000000016";
    private const int Groups = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (LargeRunScenario.Option(args, "--resources") ?? "1000").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var changes = int.Parse(LargeRunScenario.Option(args, "--changes") ?? "50", CultureInfo.InvariantCulture);
        var throttling = LargeRunScenario.Option(args, "--throttling") == "on";
        Console.WriteLine(MachineInfo.Describe());
        var met = true;
        foreach (var n in sizes)
        {
            met &= await PushScenario.GuardedAsync("targeted", (azurite, temp) => MeasureAsync(azurite, temp, n, changes, throttling)) == 0;
        }

        return met ? 0 : 2;
    }

    private static async Task<int> MeasureAsync(AzuriteFixture azurite, string temp, int resources, int changes, bool throttling)
    {
        var simulatorOptions = new ArmSimulatorOptions
        {
            Port = 0,
            CertificateOutputPath = Path.Combine(temp, "armsim.pem"),
            Throttling = new ArmThrottlingOptions { Enabled = throttling },
            MaxRequestLogEntries = (6 * (resources + Groups)) + (20 * changes) + 1000,
        };
        await using var simulator = await ArmSimulatorServer.StartAsync(simulatorOptions);
        using var repository = GitRepositoryBuilder.Create();
        repository.WriteFile("gitops.yaml", Config);
        for (var g = 0; g < Groups; g++)
        {
            repository.WriteFile($"envs/bench/group-{g:D2}.yaml", BenchManifests.ResourceGroup($"rg-t-{g:D2}"));
        }

        for (var file = 0; file < BenchManifests.Files(resources); file++)
        {
            repository.WriteFile($"envs/bench/accounts-{file:D4}.yaml", Accounts(file, resources, changed: -1));
        }

        var head = repository.Commit("Large environment");
        var configuration = PushScenario.ServeConfiguration(azurite, repository, simulator, simulatorOptions, temp);
        await using var serve = await ServeHost.BuildAsync(configuration, "http://127.0.0.1:0");
        await serve.StartAsync();
        var runtime = serve.Services.GetRequiredService<GitOpsRuntime>();
        var runs = runtime.Storage.Runs;
        var timeout = TimeSpan.FromSeconds(Math.Max(120, resources / 20.0));
        Console.WriteLine($"targeted: {resources:N0} storage accounts in {Groups} groups (+ the groups), throttling {(throttling ? "on" : "off")}, through gitops serve");

        var (first, firstWall, _) = await TimedAsync(simulator, runtime, RunTrigger.Push, head, timeout, r => PushScenario.IsFor(r, head));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first apply: {first.Outcome}, {firstWall:0.0} s (events not routed yet: the apply's own events are not what is measured)"));

        // From here on the simulator publishes every write to the events queue, as Event Grid would.
        simulator.State.SetEventDestination(Subscription, new ArmEventDestination { ConnectionString = azurite.ConnectionString, QueueName = QueueNames.Events });

        var (sweep, sweepWall, sweepCalls) = await TimedAsync(simulator, runtime, RunTrigger.Drift, null, timeout, r => r.Trigger == RunTrigger.Drift && r.StartedAt > first.StartedAt);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  full drift sweep: {sweep.Outcome}, {sweepWall:0.0} s, {Count(sweepCalls, "GET")} GETs"));

        var target = resources / 2;
        repository.WriteFile(BenchManifests.FileName("envs/bench", target), Accounts(target / BenchManifests.AccountsPerFile, resources, changed: target));
        var change = repository.Commit("one account");
        var (push, pushWall, pushCalls) = await TimedAsync(simulator, runtime, RunTrigger.Push, change, timeout, r => PushScenario.IsFor(r, change));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  one-resource push: {push.Outcome}, {pushWall:0.0} s (run {((push.FinishedAt ?? push.StartedAt) - push.StartedAt).TotalSeconds:0.0} s), {Count(pushCalls, "GET")} GETs, {Count(pushCalls, "PUT")} PUTs; observed {push.Scope?.ObservedCount.ToString(CultureInfo.InvariantCulture) ?? "all"}"));
        await DrainedAsync(simulator, runtime);

        var latencies = new List<double>();
        var gets = new List<int>();
        for (var i = 0; i < changes; i++)
        {
            var account = i * Math.Max(1, resources / changes) % resources;
            var id = $"/subscriptions/{Subscription}/resourceGroups/rg-t-{account % Groups:D2}/providers/Microsoft.Storage/storageAccounts/sttgt{account:D6}";
            var start = simulator.State.Requests.Count;
            var written = DateTimeOffset.UtcNow;
            if (!simulator.State.SetOutOfBand(id, JsonNode.Parse("""{"tags":{"owner":"mallory"}}""")!.AsObject(), by: "alice@contoso.com"))
            {
                throw new InvalidOperationException($"{id} is not in the simulator.");
            }

            var run = await PushScenario.WaitAsync(runs, r => r.Trigger == RunTrigger.Drift && r.StartedAt >= written && r.ChangedBy?.Any(c => string.Equals(c.ResourceId, id, StringComparison.OrdinalIgnoreCase)) == true, TimeSpan.FromSeconds(60));
            if (run.Outcome != RunOutcome.Applied)
            {
                throw new InvalidOperationException($"change {i}: run {run.RunId} ended {run.Outcome}: {run.Summary}");
            }

            latencies.Add(((run.FinishedAt ?? run.StartedAt) - written).TotalSeconds);
            await DrainedAsync(simulator, runtime);
            gets.Add(simulator.State.Requests.Skip(start).Count(r => r.SubscriptionId == Subscription && r.Method == "GET"));
        }

        latencies.Sort();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  out-of-band write -> corrected run recorded, {changes} changes: p50 {p50:0.00} s, p99 {p99:0.00} s, max {latencies[^1]:0.00} s; GETs per event: mean {gets.Average():0.00}, max {gets.Max()}"));
        var met = p50 < 5 && p99 < 15 && push.Outcome == RunOutcome.Applied && Count(pushCalls, "GET") < 10;
        Console.WriteLine($"  targets (p50 < 5 s, p99 < 15 s, one-resource push with < 10 reads): {(met ? "met" : "MISSED")}");
        await serve.StopAsync();
        return met ? 0 : 2;
    }

    // Enqueues a job and waits for its run to be recorded: the wall time and the ARM requests it made.
    private static async Task<(RunRecord Run, double Wall, List<ArmRequestRecord> Calls)> TimedAsync(ArmSimulatorServer simulator, GitOpsRuntime runtime, RunTrigger trigger, string? commit, TimeSpan timeout, Func<RunRecord, bool> wanted)
    {
        var start = simulator.State.Requests.Count;
        var clock = Stopwatch.StartNew();
        await runtime.Storage.Jobs.EnqueueAsync(ReconcileJob.Create("platform", "bench", trigger, commit, DateTimeOffset.UtcNow));
        var run = await PushScenario.WaitAsync(runtime.Storage.Runs, wanted, timeout);
        var wall = clock.Elapsed.TotalSeconds;
        return (run, wall, simulator.State.Requests.Skip(start).Where(r => r.SubscriptionId == Subscription).ToList());
    }

    private static async Task DrainedAsync(ArmSimulatorServer simulator, GitOpsRuntime runtime)
    {
        await simulator.State.FlushEventsAsync(TimeSpan.FromSeconds(60));
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while ((await runtime.Storage.EventsQueue.GetApproximateMessageCountAsync()) > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private static int Count(List<ArmRequestRecord> calls, string method) => calls.Count(c => c.Method == method);

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Config => $"""
        version: 1
        environments:
          - name: bench
            path: envs/bench
            branch: main
            subscriptionId: {Subscription}
            prune: {"{"} enabled: true, deleteBudget: 10 {"}"}
            drift: {"{"} interval: 12h, mode: correct {"}"}
        """;

    // 100 accounts per file; the changed one gets another owner tag.
    private static string Accounts(int file, int resources, int changed) => BenchManifests.StorageAccounts("sttgt", "rg-t-", Groups, file, resources, changed);
}
