using System.Diagnostics;
using Azure.Storage.Blobs.Specialized;
using GitOps.Core.Runs;
using GitOps.Hosting;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Cli.Tests;

/// <summary>
/// A real <c>gitops serve</c> process killed with SIGKILL in the middle of an apply: the redelivered job resumes the
/// same run from its checkpoint (one run, two segments: the first interrupted), reads again the writes that may have
/// been sent, and writes again nothing that was already applied.
/// </summary>
[Collection(CliAzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class KilledWorkerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_Worker_Killed_Mid_Apply_Is_Resumed_As_The_Same_Run_And_The_Retry_Rewrites_Nothing_Already_Applied()
    {
        await using var arm = await SimulatedArm.StartAsync();
        using var repository = GitRepositoryBuilder.Create();
        foreach (var file in Directory.EnumerateFiles(arm.ConfigPath, "*.yaml", SearchOption.AllDirectories))
        {
            repository.WriteFile(Path.GetRelativePath(arm.ConfigPath, file).Replace('\\', '/'), File.ReadAllText(file).Replace("    subscriptionId:", "    branch: main\n    subscriptionId:", StringComparison.Ordinal));
        }

        var commit = repository.Commit("three resources");
        using var temp = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["GitOps:Container"] = AzuriteFixture.UniqueName("killed"),
            ["GitOps:QueueName"] = AzuriteFixture.UniqueName("killed"),
            ["GitOps:GitCacheRoot"] = Path.Combine(temp.Path, "git-cache"),
            ["GitOps:Repositories:app:Url"] = repository.Url,
            ["GitOps:Repositories:app:WebhookSecret"] = "killed-worker-secret",
            ["GitOps:Arm:Endpoint"] = arm.Server.Endpoint.ToString(),
            ["GitOps:Arm:CaCertificatePath"] = arm.CertificatePath,
            ["GitOps:Arm:Token"] = SimulatedArm.Token,
            ["GitOps:Queue:VisibilityTimeout"] = "00:00:30",
            ["GitOps:Queue:MaxPollingInterval"] = "00:00:00.200",
            ["GitOps:DriftSchedule"] = "0 0 0 1 1 *",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var runtime = await GitOpsRuntime.CreateAsync(GitOpsSettings.Load(configuration), SettingsSources.Reader(configuration), NullLoggerFactory.Instance);

        // The storage account's PUT hangs, so the worker is inside the apply (the group already written) when it dies.
        arm.Sim.AddFault(new GitOps.ArmSimulator.ArmFaultRule { Method = "PUT", PathPattern = "*storageAccounts/stcli01*", StatusCode = 503, Latency = TimeSpan.FromMinutes(5) });
        var job = new ReconcileJob { JobId = "killed-job", Repository = "app", Environment = "it", Commit = commit, Trigger = RunTrigger.Push, EnqueuedAt = DateTimeOffset.UtcNow };
        await runtime.Storage.Jobs.EnqueueAsync(job);

        var log = new System.Text.StringBuilder();
        using var serve = StartServe(settings, log);
        try
        {
            // The simulator logs a request when it answers: once the group and the security group are written, the
            // storage account's PUT (sent beside the security group's) is the one hanging.
            await Poll.UntilAsync(
                () => arm.Sim.Requests.Count(r => r.Method == "PUT" && (r.Path.EndsWith("resourceGroups/rg-cli", StringComparison.OrdinalIgnoreCase) || r.Path.Contains("nsg-cli", StringComparison.OrdinalIgnoreCase))) == 2,
                Deadline,
                "the worker to write the group and the security group");
        }
        catch (TimeoutException error)
        {
            var recorded = string.Join("; ", (await runtime.Storage.Runs.ListAsync("app/it", 10)).Select(r => $"{r.Outcome}: {r.Summary} {string.Join(' ', r.Errors)}"));
            lock (log)
            {
                log.AppendLine("runs: " + recorded);
                throw new TimeoutException($"{error.Message}\ngitops serve wrote:\n{log}", error);
            }
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }

        var killed = Assert.Single(await runtime.Storage.Runs.ListAsync("app/it", 10));
        Assert.Equal(RunOutcome.Running, killed.Outcome);
        var groupPuts = arm.Sim.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("resourceGroups/rg-cli", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, groupPuts);

        // The lease of the dead worker expires (broken here instead of waiting it out); the queue redelivers the job.
        arm.Sim.ClearFaults();
        await runtime.Storage.Blobs.GetBlobClient("environments/app/it/lock").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        var (_, retried) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(job), dequeueCount: 2);

        Assert.Equal(RunOutcome.Applied, retried!.Outcome);
        var run = Assert.Single(await runtime.Storage.Runs.ListAsync("app/it", 10));
        Assert.Equal(killed.RunId, run.RunId);
        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal([RunSegmentEnd.Interrupted, RunSegmentEnd.Finished], run.Segments!.Select(s => s.End));
        // The hanging storage account was named and never answered, so it is read again; the security group too unless
        // its result reached a checkpoint before the kill (the journal writes one per window, so that is a race).
        Assert.True(run.Segments![1].Reobserved >= 1, $"{run.Segments[1].Reobserved} write(s) read again");
        Assert.Null(await runtime.Storage.Checkpoints.GetAsync("app/it"));
        Assert.Equal(groupPuts, arm.Sim.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("resourceGroups/rg-cli", StringComparison.OrdinalIgnoreCase)));
        Assert.Null((await runtime.Storage.States.GetAsync("app/it"))!.Value.State.ActiveRun);
    }

    private static Process StartServe(Dictionary<string, string?> settings, System.Text.StringBuilder log)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gitops.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (log) { log.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
