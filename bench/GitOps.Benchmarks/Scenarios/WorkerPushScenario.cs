using System.Diagnostics;
using System.Net;
using GitOps.ArmSimulator;
using GitOps.Functions.Tests.Harness;
using GitOps.Functions.Tests.Harness.Rpc;
using GitOps.Hosting.Settings;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>worker [--pushes N]</c>: the push scenario's part (a) through the Functions app — the published isolated worker
/// driven over the host's gRPC protocol (<see cref="FunctionsHostHarness"/>), its queue trigger played against Azurite
/// (<see cref="HostQueueListener"/>) — so the numbers compare with <c>push</c> through <c>gitops serve</c>. What the
/// real host adds (its HTTP front end, its own queue polling) is not in them.
/// </summary>
public static class WorkerPushScenario
{
    /// <summary>Runs the scenario; returns 0 when the targets are met, 2 when one is missed, 1 on error.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var pushes = PushScenario.IntOption(args, "--pushes", 20);
        return await PushScenario.GuardedAsync("worker", async (azurite, temp) =>
        {
            var simulatorOptions = new ArmSimulatorOptions { Port = 0, CertificateOutputPath = Path.Combine(temp, "armsim.pem") };
            await using var simulator = await ArmSimulatorServer.StartAsync(simulatorOptions);
            using var repository = GitRepositoryBuilder.Create();
            repository.WriteFile("gitops.yaml", PushScenario.Config).WriteFile("envs/bench/resources.yaml", PushScenario.Resources("0"));
            var head = repository.Commit("Initial platform config");
            var settings = new Dictionary<string, string>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["GitOps__Repositories__platform__Url"] = repository.Url,
                ["GitOps__Repositories__platform__FullName"] = PushScenario.FullName,
                ["GitOps__Repositories__platform__WebhookSecret"] = PushScenario.Secret,
                ["GitOps__Arm__Endpoint"] = simulator.Endpoint.ToString(),
                ["GitOps__Arm__CaCertificatePath"] = simulatorOptions.CertificateOutputPath,
                ["GitOps__Arm__Token"] = "bench",
                ["GitOps__GitCacheRoot"] = Path.Combine(temp, "git-cache"),

                // Once a year: the drift timer must not add runs to what is measured (and the harness never ticks it).
                [GitOpsSettings.DriftScheduleSetting] = "0 0 0 1 1 *",
                [GitOpsSettings.RetentionScheduleSetting] = "0 0 0 1 1 *",
            };

            await using var host = await FunctionsHostHarness.StartAsync(settings);
            await using var listener = new HostQueueListener(() => host, azurite.ConnectionString, QueueNames.Reconcile, "reconcile", HostJsonQueues.Read(host.AppDirectory), TimeSpan.FromMinutes(1));
            await listener.StartAsync();
            var runs = new GitOpsStorage(StorageConnection.Parse(azurite.ConnectionString)).Runs;

            var (latencies, answers, _) = await PushScenario.SequentialAsync(repository, head, pushes, runs, (before, after) => DeliverAsync(host, before, after));
            var (p50, p99) = PushScenario.Report("worker", latencies, answers);
            var met = p50 < 1.5 && p99 < 3 && answers.Max() < 1;
            Console.WriteLine(met ? "All targets met." : "A target was missed.");
            return met ? 0 : 2;
        });
    }

    /// <summary>Delivers the webhook through the host protocol; returns the seconds until the answer.</summary>
    private static async Task<double> DeliverAsync(FunctionsHostHarness host, string before, string after)
    {
        using var request = PushScenario.WebhookRequest(new Uri("http://host/api/webhook/github"), before, after);
        var clock = Stopwatch.StartNew();
        var (response, invocation) = await host.InvokeHttpAsync("webhook", request, new Dictionary<string, string> { ["provider"] = "github" });
        var seconds = clock.Elapsed.TotalSeconds;
        if (response.StatusCode != HttpStatusCode.Accepted || invocation.Result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"webhook answered {(int)response.StatusCode} ({invocation.Result.Status}): {await response.Content.ReadAsStringAsync()}");
        }

        return seconds;
    }
}
