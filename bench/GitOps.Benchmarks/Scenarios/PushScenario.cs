using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Hosting;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>push [--pushes N] [--burst N]</c>: push-to-applied latency over N sequential pushes, then a burst of pushes to one
/// environment, through the real path — signed GitHub webhook into <c>gitops serve</c>, Azurite queue, reconcile against
/// the ARM simulator (zero latency, throttling on), run records in Azurite. Not a timed test: it prints numbers.
/// </summary>
public static class PushScenario
{
    internal const string Secret = "bench-webhook-secret";
    internal const string FullName = "bench/platform-config";
    internal const string EnvironmentKey = "platform/bench";

    /// <summary>Runs the scenario; returns 0 when every target is met, 2 when one is missed, 1 on error.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var pushes = IntOption(args, "--pushes", 20);
        var burst = IntOption(args, "--burst", 50);
        var burstLatency = IntOption(args, "--burst-latency-ms", 250);
        return await GuardedAsync("push", async (azurite, temp) =>
        {
            var simulatorOptions = new ArmSimulatorOptions { Port = 0, CertificateOutputPath = Path.Combine(temp, "armsim.pem") };
            await using var simulator = await ArmSimulatorServer.StartAsync(simulatorOptions);
            using var repository = GitRepositoryBuilder.Create();
            repository.WriteFile("gitops.yaml", Config).WriteFile("envs/bench/resources.yaml", Resources("0"));
            var head = repository.Commit("Initial platform config");

            var configuration = ServeConfiguration(azurite, repository, simulator, simulatorOptions, temp);
            // Port 0: Kestrel picks a free port as it binds (no probe that another process could win).
            await using var serve = await ServeHost.BuildAsync(configuration, "http://127.0.0.1:0");
            await serve.StartAsync();
            var url = serve.Urls.First();
            var runs = serve.Services.GetRequiredService<GitOpsRuntime>().Storage.Runs;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var webhook = new Uri(url + "/api/webhook");

            var (latencies, answers, last) = await SequentialAsync(repository, head, pushes, runs, async (before, after) =>
            {
                var answer = Stopwatch.StartNew();
                await DeliverAsync(http, webhook, before, after);
                return answer.Elapsed.TotalSeconds;
            });
            head = last;
            var (p50, p99) = Report("serve", latencies, answers);
            if (args.Contains("--no-burst"))
            {
                await serve.StopAsync();
                return p50 < 1.5 && p99 < 3 ? 0 : 2;
            }

            // (b) Bursts: first with the simulator at zero latency (as in (a)), then with ARM-like latency per request.
            var zero = await BurstAsync(repository, http, webhook, runs, simulator, burst, head, "zero latency");
            simulatorOptions.Latency = TimeSpan.FromMilliseconds(burstLatency);
            var slow = await BurstAsync(repository, http, webhook, runs, simulator, burst, zero.Head, $"{burstLatency} ms per ARM request");

            var met = p50 < 1.5 && p99 < 3 && zero.Met && slow.Met;
            Console.WriteLine(met ? "All targets met." : "A target was missed.");
            await serve.StopAsync();
            return met ? 0 : 2;
        });
    }

    /// <summary><c>gitops serve</c>'s settings for a bench: the repository, the simulator, Azurite, no drift timer.</summary>
    internal static Microsoft.Extensions.Configuration.IConfiguration ServeConfiguration(AzuriteFixture azurite, GitRepositoryBuilder repository, ArmSimulatorServer simulator, ArmSimulatorOptions simulatorOptions, string temp) =>
        SettingsSources.Build(null, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["GitOps__Repositories__platform__Url"] = repository.Url,
            ["GitOps__Repositories__platform__FullName"] = FullName,
            ["GitOps__Repositories__platform__WebhookSecret"] = Secret,
            ["GitOps__Arm__Endpoint"] = simulator.Endpoint.ToString(),
            ["GitOps__Arm__CaCertificatePath"] = simulatorOptions.CertificateOutputPath,
            ["GitOps__Arm__Token"] = "bench",
            ["GitOps__GitCacheRoot"] = Path.Combine(temp, "git-cache"),

            // Once a year: the drift timer must not add runs to what is measured.
            ["GitOps__DriftSchedule"] = "0 0 0 1 1 *",
        });

    /// <summary>A private Azurite and a temporary folder around a scenario; 1 (with the message) when it fails.</summary>
    internal static async Task<int> GuardedAsync(string name, Func<AzuriteFixture, string, Task<int>> scenario)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var temp = Directory.CreateTempSubdirectory($"gitops-bench-{name}-").FullName;
        try
        {
            return await scenario(azurite, temp);
        }
        catch (Exception error) when (error is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return 1;
        }
        finally
        {
            await azurite.DisposeAsync();
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// (a): a warm-up push (it creates the resources and fills the git mirror cache), then N sequential pushes, each
    /// delivered by <paramref name="deliver"/> (which returns the webhook's answer time) once the previous is recorded.
    /// </summary>
    internal static async Task<(List<double> Latencies, List<double> Answers, string Head)> SequentialAsync(
        GitRepositoryBuilder repository, string head, int pushes, IRunStore runs, Func<string, string, Task<double>> deliver)
    {
        var warm = repository.WriteFile("envs/bench/resources.yaml", Resources("1")).Commit("warm-up");
        await deliver(head, warm);
        await WaitAsync(runs, r => IsFor(r, warm), TimeSpan.FromSeconds(60));
        head = warm;
        var latencies = new List<double>();
        var answers = new List<double>();
        for (var i = 0; i < pushes; i++)
        {
            var commit = repository.WriteFile("envs/bench/resources.yaml", Resources($"seq-{i}")).Commit($"push {i}");
            var sent = DateTimeOffset.UtcNow;
            answers.Add(await deliver(head, commit));
            var run = await WaitAsync(runs, r => IsFor(r, commit), TimeSpan.FromSeconds(60));
            if (run.Outcome != RunOutcome.Applied)
            {
                throw new InvalidOperationException($"push {i}: run {run.RunId} ended {run.Outcome}: {run.Summary}");
            }

            latencies.Add(((run.FinishedAt ?? run.StartedAt) - sent).TotalSeconds);
            head = commit;
        }

        return (latencies, answers, head);
    }

    private static async Task<(string Head, bool Met)> BurstAsync(GitRepositoryBuilder repository, HttpClient http, Uri webhook, IRunStore runs, ArmSimulatorServer simulator, int burst, string head, string label)
    {
        // The commits are made first and main is moved back; each "push" then moves main one commit on (what the git
        // host does when it receives a push) and delivers its webhook, so the burst fits in a few seconds.
        var commits = new List<string>();
        for (var i = 0; i < burst; i++)
        {
            commits.Add(repository.WriteFile("envs/bench/resources.yaml", Resources($"{label}-{i}")).Commit($"burst {i}"));
        }

        await GitAsync(repository.RepositoryPath, "update-ref", "refs/heads/main", head);
        var burstStart = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        foreach (var commit in commits)
        {
            await GitAsync(repository.RepositoryPath, "update-ref", "refs/heads/main", commit);
            await DeliverAsync(http, webhook, head, commit);
            head = commit;
        }

        var burstSeconds = clock.Elapsed.TotalSeconds;
        var wanted = commits.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        IReadOnlyList<RunRecord> burstRuns = [];
        while (DateTimeOffset.UtcNow < deadline)
        {
            burstRuns = (await runs.ListAsync(EnvironmentKey, 1000)).Where(r => r.StartedAt >= burstStart && r.Outcome != RunOutcome.Running).ToList();
            var covered = burstRuns.Where(r => !r.Transient && r.RequestedCommit is not null).Select(r => r.RequestedCommit!).Where(wanted.Contains).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (covered.Count == wanted.Count)
            {
                break;
            }

            await Task.Delay(250);
        }

        var drained = burstRuns.Count == 0 ? 0 : (burstRuns.Max(r => r.FinishedAt ?? r.StartedAt) - burstStart).TotalSeconds;
        var ordered = burstRuns.OrderBy(r => r.StartedAt).ToList();
        var overlaps = ordered.Zip(ordered.Skip(1)).Count(p => (p.First.FinishedAt ?? p.First.StartedAt) > p.Second.StartedAt);
        var applies = burstRuns.Count(r => r.Outcome == RunOutcome.Applied);
        var lastApplied = burstRuns.Any(r => r.Outcome == RunOutcome.Applied && string.Equals(r.Commit?.Sha, commits[^1], StringComparison.OrdinalIgnoreCase));
        var byOutcome = burstRuns.Where(r => r.RequestedCommit is not null && wanted.Contains(r.RequestedCommit))
            .GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        var accounted = burstRuns.Where(r => !r.Transient && r.RequestedCommit is not null && wanted.Contains(r.RequestedCommit)).Select(r => r.RequestedCommit!).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var writes = simulator.State.Requests.Count(r => r.Time >= burstStart && r.Method is "PUT" or "PATCH" or "DELETE");
        Console.WriteLine($"(b) [{label}] burst of {burst} pushes delivered in {burstSeconds:0.0} s; all runs done {drained:0.0} s after the first push");
        Console.WriteLine($"    runs {burstRuns.Count}: {string.Join(", ", byOutcome)}; pushes accounted for {accounted}/{burst}");
        Console.WriteLine($"    applies {applies} (target <= 3); overlapping runs {overlaps} (must be 0); last commit applied: {lastApplied}; ARM writes {writes}");
        return (head, applies <= 3 && overlaps == 0 && lastApplied && accounted == burst);
    }

    internal static string Config => """
        version: 1
        environments:
          - name: bench
            path: envs/bench
            branch: main
            subscriptionId: 3f2b8c1e-6d4a-4b7e-9c15-0a1b2c3d4e5f
            drift: { interval: 1h, mode: correct }
        """;

    internal static string Resources(string revision) => $$"""
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-bench
        location: westeurope
        tags: { owner: platform }
        ---
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stbench01
        resourceGroup: rg-bench
        location: westeurope
        sku: { name: Standard_LRS }
        kind: StorageV2
        tags: { owner: platform, revision: '{{revision}}' }
        properties: { minimumTlsVersion: TLS1_2 }
        """;

    /// <summary>Prints (a): push-to-applied p50/p99 and the webhook's answer time p99; returns the push-to-applied pair.</summary>
    internal static (double P50, double P99) Report(string host, List<double> latencies, List<double> answers)
    {
        latencies.Sort();
        answers.Sort();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        Console.WriteLine();
        Console.WriteLine($"(a) [{host}] push-to-applied over {latencies.Count} sequential pushes: p50 {p50:0.000} s, p99 {p99:0.000} s, min {latencies[0]:0.000} s, max {latencies[^1]:0.000} s (targets: p50 < 1.5 s, p99 < 3 s)");
        Console.WriteLine($"    [{host}] webhook answer: p50 {Percentile(answers, 0.50):0.000} s, p99 {Percentile(answers, 0.99):0.000} s, max {answers[^1]:0.000} s (target: p99 < 1 s)");
        return (p50, p99);
    }

    internal static bool IsFor(RunRecord run, string commit) =>
        !run.Transient && string.Equals(run.RequestedCommit, commit, StringComparison.OrdinalIgnoreCase);

    /// <summary>Delivers <see cref="WebhookRequest"/> and checks the webhook accepted it.</summary>
    internal static async Task DeliverAsync(HttpClient http, Uri webhook, string before, string after, string modified = DefaultModified)
    {
        using var request = WebhookRequest(webhook, before, after, modified);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private const string DefaultModified = "envs/bench/resources.yaml";

    /// <summary>A signed GitHub push of <paramref name="after"/> changing <paramref name="modified"/> (the bench environment's resources).</summary>
    internal static HttpRequestMessage WebhookRequest(Uri webhook, string before, string after, string modified = DefaultModified)
    {
        var payload = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["before"] = before,
            ["after"] = after,
            ["repository"] = new JsonObject { ["full_name"] = FullName, ["clone_url"] = $"https://github.invalid/{FullName}.git" },
            ["pusher"] = new JsonObject { ["name"] = "bench" },
            ["commits"] = new JsonArray(new JsonObject { ["id"] = after, ["added"] = new JsonArray(), ["modified"] = new JsonArray(modified), ["removed"] = new JsonArray() }),
        };
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)));
        return request;
    }

    internal static async Task<RunRecord> WaitAsync(IRunStore runs, Func<RunRecord, bool> wanted, TimeSpan timeout, string environmentKey = EnvironmentKey)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            // A run is recorded when it starts (Running) and again when it ends: wait for the end, as quickstart does.
            if ((await runs.ListAsync(environmentKey, 20)).FirstOrDefault(r => r.Outcome != RunOutcome.Running && wanted(r)) is { } run)
            {
                return run;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no matching run within {timeout.TotalSeconds:0} s");
    }

    private static async Task GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start git");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {await process.StandardError.ReadToEndAsync()}");
        }
    }

    internal static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    internal static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
