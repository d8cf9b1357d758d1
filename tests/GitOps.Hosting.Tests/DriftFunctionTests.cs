using GitOps.Core.Runs;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Tests;

[Collection(HostingCollection.DriftScheduler)]
[Trait("Category", "Integration")]
public sealed class DriftFunctionTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static void WriteConfig(TestWorld world)
    {
        world.WriteResourceGroup("envs/dev", "rg-dev");
        world.WriteResourceGroup("envs/prod", "rg-prod");
        world.Repository.WriteFile("gitops.yaml", $"""
            version: 1
            environments:
              - name: dev
                path: envs/dev
                branch: main
                subscriptionId: {world.SubscriptionId}
                drift: {"{"} interval: 5m, mode: correct {"}"}
              - name: prod
                path: envs/prod
                branch: main
                subscriptionId: {world.SubscriptionId}
                drift: {"{"} interval: 30m, mode: correct {"}"}
            """);
        world.Repository.Commit("dev every 5m, prod every 30m");
    }

    private static async Task<List<ReconcileJob>> DrainAsync(GitOpsRuntime runtime)
    {
        var jobs = new List<ReconcileJob>();
        while (true)
        {
            var messages = await runtime.Storage.DriftQueue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30));
            if (messages.Count == 0)
            {
                return jobs;
            }

            foreach (var message in messages)
            {
                jobs.Add(ReconcileJobJson.Parse(message.Text!));
                await runtime.Storage.DriftQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    [Fact]
    public async Task Drift_Enqueues_Only_Due_Environments_Once_Until_The_Drift_Run_Records()
    {
        using var world = new TestWorld(azurite, arm);
        WriteConfig(world);
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var runtime = await world.RuntimeAsync(time);

        Assert.Equal(["app/dev", "app/prod"], (await runtime.Drift.RunAsync()).Order());

        // Run twice quickly: nothing more while the jobs are pending.
        Assert.Empty(await runtime.Drift.RunAsync());
        var jobs = await DrainAsync(runtime);
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(RunTrigger.Drift, j.Trigger));
        Assert.All(jobs, j => Assert.Null(j.Commit));

        // dev's drift run records; prod's job is still pending.
        var devJob = jobs.Single(j => j.Environment == "dev");
        var result = await runtime.Reconciler.ReconcileAsync(devJob);
        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Null((await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.DriftPendingSince);

        // Before dev's interval elapses nothing is due.
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(await runtime.Drift.RunAsync());

        // After it, dev is due again; prod's 30 m interval has not elapsed (and its job is still pending).
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["app/dev"], await runtime.Drift.RunAsync());
        Assert.Empty(await runtime.Drift.RunAsync());
        Assert.Equal(["dev"], (await DrainAsync(runtime)).Select(j => j.Environment));
    }

    [Fact]
    public async Task Two_Timers_Racing_Enqueue_One_Job_Per_Environment()
    {
        using var world = new TestWorld(azurite, arm);
        WriteConfig(world);
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var first = await world.RuntimeAsync(time);
        var second = await world.RuntimeAsync(time);
        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(first.Drift.RunAsync(), second.Drift.RunAsync());
            var enqueued = results.SelectMany(r => r).ToList();
            Assert.Equal(enqueued.Count, enqueued.Distinct().Count());
            var jobs = await DrainAsync(first);
            Assert.Equal(enqueued.Order(), jobs.Select(j => j.EnvironmentKey).Order());
            Assert.Equal(["app/dev", "app/prod"], enqueued.Order());

            // Both drift runs record, then every interval has elapsed.
            foreach (var job in jobs)
            {
                await first.Reconciler.ReconcileAsync(job);
            }

            time.Advance(TimeSpan.FromMinutes(31));
        }
    }

    [Fact]
    public async Task An_Unreachable_Repository_Or_An_Invalid_Config_Does_Not_Stop_The_Others()
    {
        using var world = new TestWorld(azurite, arm);
        WriteConfig(world);
        using var invalid = GitRepositoryBuilder.Create();
        invalid.WriteFile("gitops.yaml", "version: 1\nenvironments:\n  - name: x\n    path: [not, a, path]\n");
        invalid.Commit("broken config");
        var logs = new ListLogger();
        var configuration = world.Configuration(new Dictionary<string, string?>
        {
            // Sorted before "app", so a throw here would stop the loop before the healthy repository.
            ["GitOps:Repositories:aa-missing:Url"] = new Uri(Path.Combine(world.TempPath, "no-such-repository")).AbsoluteUri,
            ["GitOps:Repositories:ab-invalid:Url"] = invalid.Url,
        });
        var runtime = await GitOpsRuntime.CreateAsync(GitOpsSettings.Load(configuration), SettingsSources.Reader(configuration), logs.Factory());

        Assert.Equal(["app/dev", "app/prod"], (await runtime.Drift.RunAsync()).Order());
        var warnings = logs.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();
        Assert.Contains(warnings, w => w.Contains("aa-missing", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("ab-invalid", StringComparison.Ordinal) && w.Contains("invalid", StringComparison.Ordinal));
        Assert.Equal(2, (await DrainAsync(runtime)).Count);
    }
}
