using GitOps.Core.Runs;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Storage.Retention;
using GitOps.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>The retention settings, and <c>gitops serve</c>'s retention timer over the runtime's cleaner.</summary>
[Collection(HostingCollection.HttpApi)]
[Trait("Category", "Integration")]
public sealed class RetentionSettingsAndTimerTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Retention_Settings_Default_To_Ninety_Days_And_Are_Read_And_Checked()
    {
        var defaults = GitOpsSettings.Load(Config());
        var set = GitOpsSettings.Load(Config(
            ("GitOps:RunTable", "prodruns"),
            ("GitOps:RetentionSchedule", "0 0 4 * * *"),
            ("GitOps:Retention:MaxRunAge", "30.00:00:00"),
            ("GitOps:Retention:MaxRunsPerEnvironment", "200"),
            ("GitOps:Retention:DeliveryMaxAge", "7.00:00:00"),
            ("GitOps:Retention:PreviewMaxAge", "45.00:00:00"),
            ("GitOps:Retention:MaxDeletesPerPass", "50")));
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(
            ("GitOps:RunTable", "runs-prod"),
            ("GitOps:RetentionSchedule", "daily"),
            ("GitOps:Retention:MaxRunsPerEnvironment", "0"),
            ("GitOps:Retention:DeliveryMaxAge", "00:10:00"),
            ("GitOps:Retention:PreviewMaxAge", "-1.00:00:00"))));

        Assert.Equal(TimeSpan.FromDays(90), defaults.Retention.MaxRunAge);
        Assert.Null(defaults.RunTable);
        Assert.Equal(GitOpsSettings.DefaultRetentionSchedule, defaults.RetentionSchedule);
        Assert.Equal(new RetentionOptions { MaxRunAge = TimeSpan.FromDays(30), MaxRunsPerEnvironment = 200, DeliveryMaxAge = TimeSpan.FromDays(7), PreviewMaxAge = TimeSpan.FromDays(45), MaxDeletesPerPass = 50 }, set.Retention);
        Assert.Equal(("prodruns", "0 0 4 * * *"), (set.RunTable, set.RetentionSchedule));
        Assert.Contains("GitOps__RunTable 'runs-prod'", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__RetentionSchedule 'daily'", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Retention__MaxRunsPerEnvironment", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Retention__DeliveryMaxAge", error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__Retention__PreviewMaxAge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Retention_Timer_Runs_A_Pass_On_Its_Schedule()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?> { ["GitOps:Retention:MaxRunAge"] = "30.00:00:00" });
        var now = DateTimeOffset.UtcNow;
        var old = new RunRecord { RunId = RunIds.New(now.AddDays(-60)), Repository = "app", Environment = "dev", Trigger = RunTrigger.Drift, StartedAt = now.AddDays(-60), Outcome = RunOutcome.NoChanges };
        var recent = old with { RunId = RunIds.New(now.AddDays(-1)), StartedAt = now.AddDays(-1) };
        await runtime.Storage.Runs.SaveAsync(old);
        await runtime.Storage.Runs.SaveAsync(recent);
        var clock = new FakeTimeProvider(now);
        using var timer = new RetentionTimer(runtime.Retention, "0 * * * * *", NullLogger<RetentionTimer>.Instance, clock);

        await timer.StartAsync(CancellationToken.None);
        try
        {
            // The timer waits on the fake clock; move it a minute at a time until the occurrence has run.
            var listed = await Poll.UntilAsync(
                async () =>
                {
                    clock.Advance(TimeSpan.FromMinutes(1));
                    return (await runtime.Storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "app/dev" })).Runs.Select(r => r.RunId).ToList();
                },
                ids => ids.Count == 1,
                TimeSpan.FromSeconds(20),
                "the retention pass");

            Assert.Equal([recent.RunId], listed);
            Assert.True(timer.Fired >= 1);
            Assert.Null(await runtime.Storage.Runs.GetAsync(old.RunId));
        }
        finally
        {
            await timer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Explicit_Endpoints_Without_A_Table_Endpoint_Are_A_Settings_Error_Without_The_Key()
    {
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint={azurite.BlobEndpoint};QueueEndpoint={azurite.QueueEndpoint}";
        var values = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GitOpsRuntime.CreateAsync(
            GitOpsSettings.Load(Config()), values.GetValueOrDefault, NullLoggerFactory.Instance));

        // Reported with every other settings problem, at start.
        Assert.Contains("Storage settings are invalid:", error.Message, StringComparison.Ordinal);
        Assert.Contains("TableEndpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey[..16], error.Message, StringComparison.Ordinal);
    }
}
