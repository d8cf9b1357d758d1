using System.Diagnostics;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Arm;
using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;

namespace GitOps.Benchmarks;

/// <summary>
/// The <c>observe</c> scenario: a no-op reconcile (observe + plan) of an environment already in sync, against the ARM
/// simulator over HTTPS with latency and ARM's read bucket, through the real <see cref="ArmResourceClient"/> (throttle
/// budget on) and Core's <see cref="LiveStateObserver"/> and <see cref="Planner"/>. A long scenario measured once, so it
/// is a runner rather than a BenchmarkDotNet job. Exit code 1 when a correctness check fails (not for timings).
/// </summary>
internal static class ObserveScenario
{
    public const string Subscription = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

    // Its own subscription, so warming up spends neither the measured bucket (simulator) nor the client's estimate of it.
    private const string WarmupSubscription = "0b5e11e0-0000-4000-8000-00000000beef";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ObserveScenarioOptions options;
        try
        {
            options = ObserveScenarioOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"observe: {ex.Message}\n{ObserveScenarioOptions.Usage}");
            return 2;
        }

        var simulatorOptions = new ArmSimulatorOptions
        {
            Latency = TimeSpan.FromMilliseconds(options.LatencyMs),
            Throttling = new ArmThrottlingOptions { Enabled = options.Throttling },
            MaxRequestLogEntries = Math.Max(10_000, 4 * (options.Resources + options.Groups)),
        };
        await using var simulator = await ArmSimulatorServer.StartAsync(simulatorOptions);

        var clientOptions = new ArmResourceClientOptions
        {
            Cloud = ArmCloud.Custom(simulator.Endpoint),
            CaCertificatePem = simulator.CertificatePem,
        };
        clientOptions.ThrottleBudget.Enabled = options.Throttling;
        var client = new ArmResourceClient(new StaticTokenCredential("observe-benchmark"), clientOptions);
        // The steady state: every resource is in the inventory, so each is read with one GET and none is looked for in lists.
        var observer = new LiveStateObserver(client, new ApplyOptions { MaxParallelReads = options.Concurrency, ListExistence = false });

        Console.WriteLine($"observe: simulator on {simulator.Endpoint}, warming up (JIT, TLS connections) on another subscription, whose buckets are separate...");
        var warmup = ObserveWorkload.Create(WarmupSubscription, Math.Min(200, Math.Min(options.Resources, 4 * options.Concurrency)), Math.Min(options.Groups, 2));
        warmup.Live.ForEach(body => simulator.State.Seed(body));
        var warmupLive = await observer.ObserveAsync(warmup.Desired);
        Planner.Plan(Input(warmup, warmupLive));

        var workload = ObserveWorkload.Create(Subscription, options.Resources, options.Groups);
        workload.Live.ForEach(body => simulator.State.Seed(body));
        simulator.State.ClearRequests();
        var readsBefore = client.Counters.ReadsSent;
        var retriesBefore = client.Counters.Retries;
        var throttledBefore = client.Counters.ThrottledResponses;
        var delayedBefore = client.ThrottleBudget?.DelayedRequests ?? 0;
        var delayBefore = client.ThrottleBudget?.TotalDelay ?? TimeSpan.Zero;
        var loadBefore = MachineInfo.LoadAverage();

        Console.WriteLine($"observe: measuring {workload.Desired.Count} GETs...");
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        IReadOnlyDictionary<string, JsonObject> live;
        try
        {
            live = await observer.ObserveAsync(workload.Desired);
        }
        catch (ObservationException ex)
        {
            // A failed GET is a failed correctness check (the client gave up, e.g. after 429s), not a crash.
            await Console.Error.WriteLineAsync($"observe: FAIL: {ex.Failures.Count} GETs failed after {total.Elapsed.TotalSeconds:F2} s "
                + $"({client.Counters}): {ex.Message}");
            return 1;
        }

        var observeTime = total.Elapsed;
        var plan = Planner.Plan(Input(workload, live));
        total.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var report = new ObserveScenarioReport
        {
            Options = options,
            Throttling = simulatorOptions.Throttling,
            Desired = workload.Desired,
            Requests = simulator.State.Requests,
            Plan = plan.Summary,
            Wall = total.Elapsed,
            Observe = observeTime,
            Cpu = cpu,
            ClientReads = client.Counters.ReadsSent - readsBefore,
            ClientRetries = client.Counters.Retries - retriesBefore,
            ClientThrottled = client.Counters.ThrottledResponses - throttledBefore,
            BudgetDelayed = (client.ThrottleBudget?.DelayedRequests ?? 0) - delayedBefore,
            BudgetDelay = (client.ThrottleBudget?.TotalDelay ?? TimeSpan.Zero) - delayBefore,
            LoadBefore = loadBefore,
            LoadAfter = MachineInfo.LoadAverage(),
        };
        var failures = report.Check();
        report.Print(Console.Out, failures);
        return failures.Count == 0 ? 0 : 1;
    }

    private static PlanInput Input(ObserveWorkload workload, IReadOnlyDictionary<string, JsonObject> live) => new()
    {
        Environment = "bench-observe",
        Desired = workload.Desired,
        Live = live,
        Inventory = workload.Inventory,
        Options = new PlanOptions { Prune = new PruneSettings(true, 100) },
    };
}
