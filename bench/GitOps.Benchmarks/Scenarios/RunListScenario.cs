using System.Diagnostics;
using System.Globalization;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Planning;
using GitOps.Core.Runs;
using GitOps.DevEnvironment;
using GitOps.Hosting;
using GitOps.Hosting.Standalone;
using GitOps.Storage.Reconcile;
using GitOps.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>runs</c>: run listings at depth. Two histories, each in its own Azurite: (A) 10,000 recorded runs over 10
/// environments, (B) 50 runs of one 10,000-resource environment (multi-megabyte records, and state with a
/// 10,000-entry inventory). For each: the first page of <c>gitops runs list --env</c> (the ledger call the command
/// makes), <c>GET /api/runs</c> and <c>GET /api/status</c> on an in-process <c>gitops serve</c>, with time per
/// request and the process's working-set growth while they are answered. Not a timed test: it prints numbers.
/// </summary>
internal static class RunListScenario
{
    private const int Repeats = 10;

    /// <summary>Runs the scenario; returns 0 when every target is met, 2 when one is missed, 1 on error.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = IntOption(args, "--runs", 10_000);
        var bigRuns = IntOption(args, "--big-runs", 50);
        var resources = IntOption(args, "--resources", 10_000);
        Console.WriteLine(MachineInfo.Describe());
        var met = true;
        try
        {
            met &= await MeasureAsync($"A: {runs:N0} runs over 10 environments", onDisk: false, async storage =>
            {
                var started = DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture);
                // The records as the store writes them, the ledger in transactions (what reindex does): seeding 10,000
                // runs one save at a time (three requests each) takes many minutes on a shared 2-core machine.
                var records = Enumerable.Range(0, runs).Select(i => SmallRun($"env{i % 10}", started.AddMinutes(i))).ToList();
                var done = 0;
                await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (run, ct) =>
                {
                    await storage.Blobs.GetBlobClient($"runs/{run.EnvironmentKey}/{run.RunId}.json").UploadAsync(BinaryData.FromString(RunJson.Serialize(run)), overwrite: true, ct);
                    if (Interlocked.Increment(ref done) % 2000 == 0)
                    {
                        Console.WriteLine($"  {done:N0} records written");
                    }
                });
                await storage.Ledger.SaveManyAsync(records.Select(r => RunSummary.Of(r, $"runs/{r.EnvironmentKey}/{r.RunId}.json")).ToList());
                return "platform/env3";
            });
            met &= await MeasureAsync($"B: {bigRuns} runs of a {resources:N0}-resource environment", onDisk: true, async storage =>
            {
                var started = DateTimeOffset.Parse("2026-06-01T00:00:00Z", CultureInfo.InvariantCulture);
                var template = BigRun(resources, started);
                Console.WriteLine($"  one record: {RunJson.Serialize(template).Length / 1024.0 / 1024.0:0.0} MB of JSON");
                for (var i = 0; i < bigRuns; i++)
                {
                    await storage.Runs.SaveAsync(template with { RunId = RunIds.New(started.AddMinutes(i)), StartedAt = started.AddMinutes(i) });
                }

                await storage.States.SaveAsync(BigState(resources), null);
                return "platform/big";
            });
        }
        catch (Exception error) when (error is InvalidOperationException or HttpRequestException or TimeoutException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }

        Console.WriteLine(met ? "All targets met." : "A target was missed.");
        return met ? 0 : 2;
    }

    private static async Task<bool> MeasureAsync(string title, bool onDisk, Func<GitOpsStorage, Task<string>> seed)
    {
        Console.WriteLine(title);
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        // On disk for the large records (the in-memory store stops at 256 MB), and without --skipApiVersionCheck, so the
        // clients' pinned service version is shown to be one Azurite knows.
        await using var disk = onDisk
            ? await AzuriteProcess.StartAsync(new AzuriteStartOptions(AzuriteInstaller.Find(RepositoryRoot.Find())!) { PersistToDisk = true, SkipApiVersionCheck = false })
            : null;
        var temp = Directory.CreateTempSubdirectory("gitops-bench-runs-").FullName;
        try
        {
            var container = AzuriteFixture.UniqueName("gitops");
            var configuration = SettingsSources.Build(null, new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = disk?.ConnectionString ?? azurite.ConnectionString,
                ["GitOps__Container"] = container,
                ["GitOps__GitCacheRoot"] = Path.Combine(temp, "git-cache"),
                ["GitOps__Arm__Endpoint"] = "https://127.0.0.1:1/",
                ["GitOps__Arm__Token"] = "bench",

                // Once a year: no timer may add work to what is measured.
                ["GitOps__DriftSchedule"] = "0 0 0 1 1 *",
                ["GitOps__RetentionSchedule"] = "0 0 0 1 1 *",
            });
            await using var serve = await ServeHost.BuildAsync(configuration, "http://127.0.0.1:0");
            await serve.StartAsync();
            var storage = serve.Services.GetRequiredService<GitOpsRuntime>().Storage;

            var seeding = Stopwatch.StartNew();
            var environment = await seed(storage);
            Console.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

            using var http = new HttpClient { BaseAddress = new Uri(serve.Urls.First()), Timeout = TimeSpan.FromSeconds(120) };
            var met = true;
            met &= await TimeAsync("runs list --env (first page, 20)", () => storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = environment, Top = 20 }));
            met &= await TimeAsync("GET /api/runs (first page, 50)", () => http.GetStringAsync("/api/runs"));
            met &= await TimeAsync($"GET /api/runs?environment={environment}", () => http.GetStringAsync($"/api/runs?environment={environment}"));
            met &= await TimeAsync("GET /api/status (25 runs)", () => http.GetStringAsync("/api/status"));
            await serve.StopAsync();
            return met;
        }
        finally
        {
            await azurite.DisposeAsync();
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Times the first call and the median of <see cref="Repeats"/> more, and the working set's peak growth over all of them.</summary>
    private static async Task<bool> TimeAsync<T>(string what, Func<Task<T>> call)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(5);
            }
        });

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await call();
        var first = clock.Elapsed.TotalMilliseconds;
        var times = new List<double>();
        for (var i = 0; i < Repeats; i++)
        {
            clock.Restart();
            await call();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (Repeats + 1.0) / 1024 / 1024;
        await stop.CancelAsync();
        await sampler;
        times.Sort();
        var median = times[times.Count / 2];
        var growth = (peak - before) / 1024.0 / 1024.0;
        var met = first < 300 && median < 300 && growth < 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-44} first {first,7:0.0} ms  median {median,7:0.0} ms  max {times[^1],7:0.0} ms  allocated {perCall,6:0.0} MB/call  working-set growth {growth,6:0.0} MB  {(met ? "ok" : "MISSED")}"));
        return met;
    }

    private static RunRecord SmallRun(string environment, DateTimeOffset startedAt) => new()
    {
        RunId = RunIds.New(startedAt),
        Repository = "platform",
        Environment = environment,
        Trigger = RunTrigger.Push,
        Commit = new CommitInfo("0123456789abcdef0123456789abcdef01234567", "Ada Lovelace", "ada@example.com", startedAt, "Tune TLS"),
        StartedAt = startedAt,
        FinishedAt = startedAt.AddSeconds(20),
        Outcome = RunOutcome.Applied,
        Summary = "Applied 0123456: 3 write(s).",
        Plan = new RecordedPlan
        {
            Environment = environment,
            Summary = new PlanSummary(Create: 1, Update: 2, Delete: 0, Detach: 0, Noop: 40, Drift: 0),
            Changes = [new RecordedChange { Id = "/subscriptions/s/resourceGroups/rg", Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2024-03-01", Action = PlanAction.Create }],
        },
    };

    private static RunRecord BigRun(int resources, DateTimeOffset startedAt)
    {
        string Id(int i) => $"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-big/providers/Microsoft.Storage/storageAccounts/st{i:D6}";
        return SmallRun("big", startedAt) with
        {
            Environment = "big",
            Plan = new RecordedPlan
            {
                Environment = "big",
                Summary = new PlanSummary(Create: 0, Update: resources, Delete: 0, Detach: 0, Noop: 0, Drift: 0),
                Changes = Enumerable.Range(0, resources).Select(i => new RecordedChange
                {
                    Id = Id(i),
                    Type = "Microsoft.Storage/storageAccounts",
                    ApiVersion = "2023-05-01",
                    Action = PlanAction.Update,
                    Diffs = [new RecordedDiff("/properties/minimumTlsVersion", System.Text.Json.Nodes.JsonValue.Create("TLS1_2"), System.Text.Json.Nodes.JsonValue.Create("TLS1_0"))],
                }).ToList(),
            },
            Results = Enumerable.Range(0, resources)
                .Select(i => new ResourceResult(Id(i), PlanAction.Update, ResourceOutcome.Succeeded, Duration: TimeSpan.FromMilliseconds(180)))
                .ToList(),
        };
    }

    private static EnvironmentState BigState(int resources) => EnvironmentState.New("platform", "big") with
    {
        Inventory = new ResourceInventory(Enumerable.Range(0, resources)
            .Select(i => new InventoryEntry($"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-big/providers/Microsoft.Storage/storageAccounts/st{i:D6}", "Microsoft.Storage/storageAccounts", "2023-05-01", "sha256:" + new string('a', 64), []))
            .ToList()),
    };

    private static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
