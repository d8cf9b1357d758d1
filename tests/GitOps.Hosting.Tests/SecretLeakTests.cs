using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Issue 6's promise for Key Vault references, through the hosted runtime: the secret value reaches ARM and appears in
/// no output of a run — run records, state, plan, log lines, alert payloads, the api — across a rotation and a failure.
/// </summary>
[Collection(HostingCollection.SecretLeak)]
[Trait("Category", "Integration")]
public sealed class SecretLeakTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private const string FirstValue = "Fj3-first-S3cr3t-4a91";
    private const string SecondValue = "Qz8-rotated-S3cr3t-77c0";

    [Fact]
    public async Task A_Key_Vault_Value_Reaches_Arm_And_No_Output_Of_Any_Run()
    {
        using var world = new TestWorld(azurite, arm);
        await using var vault = await FakeVault.StartAsync(arm);
        await using var receiver = await AlertReceiver.StartAsync();
        vault.Set("v1", FirstValue);
        var secretUrl = vault.SecretUrl("app-setting");
        world.Repository.WriteFile("envs/dev/rg.yaml", $"""
            type: Microsoft.Resources/resourceGroups@2021-04-01
            name: rg-secrets
            location: westeurope
            ---
            type: Microsoft.Web/sites/config@2023-12-01
            name: app-secrets/appsettings
            resourceGroup: rg-secrets
            properties:
              connectionValue: {"${{"} keyvault('{secretUrl}') {"}}"}
            """);
        world.Repository.WriteFile("envs/dev/site.yaml", """
            type: Microsoft.Web/sites@2023-12-01
            name: app-secrets
            resourceGroup: rg-secrets
            location: westeurope
            kind: app
            properties: {}
            """);
        var commit = world.CommitConfig("app with a secret setting", ("dev", "envs/dev", "main"));
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var configuration = world.Configuration(new Dictionary<string, string?>
        {
            ["GitOps:Alerts:hook:Type"] = "webhook",
            ["GitOps:Alerts:hook:Url"] = receiver.Url("/hook").ToString(),
            ["GitOps:KeyVault:AllowedHostSuffixes"] = vault.Address.Authority,
        });
        var runtime = await GitOpsRuntime.CreateAsync(GitOpsSettings.Load(configuration), SettingsSources.Reader(configuration), loggers);
        var settingsId = $"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-secrets/providers/Microsoft.Web/sites/app-secrets/config/appsettings";

        // 1: applied; the value went to ARM (the simulator keeps it: the name is not a known write-only property).
        var (_, applied) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(commit)), 1);
        Assert.Equal(RunOutcome.Applied, applied!.Outcome);
        Assert.Equal(FirstValue, arm.State.GetResource(settingsId)!["properties"]!["connectionValue"]!.GetValue<string>());

        // 2: same version again: nothing to send.
        var writesBefore = world.Writes().Count;
        var (_, unchanged) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(commit)), 1);
        Assert.Equal(RunOutcome.NoChanges, unchanged!.Outcome);
        Assert.Equal(writesBefore, world.Writes().Count);

        // 3: rotated, and ARM refuses the write: a failed run, an alert, and still no value anywhere.
        vault.Set("v2", SecondValue);
        arm.State.AddFault(new GitOps.ArmSimulator.ArmFaultRule { Method = "PUT", PathPattern = "*/config/appsettings*", StatusCode = 400, ErrorCode = "InvalidParameter", Message = "The setting is invalid." });
        var (_, failed) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(commit)), 1);
        Assert.True(failed!.Outcome.IsProblem(), failed.Outcome.ToString());
        Assert.NotEmpty(receiver.BodiesAt("/hook"));

        var outputs = new List<(string Where, string Text)>();
        foreach (var run in await runtime.Storage.Runs.ListAsync("app/dev", 50))
        {
            outputs.Add(($"run {run.RunId}", RunJson.Serialize(run)));
        }

        var state = await runtime.Storage.States.GetAsync("app/dev");
        outputs.Add(("state", RunJson.Serialize(state!.Value.State)));
        outputs.AddRange(logs.Lines.Select(l => ("log", l)));
        outputs.AddRange(receiver.BodiesAt("/hook").Select(b => ("alert", b?.ToJsonString() ?? string.Empty)));
        outputs.Add(("api runs", (await runtime.Api.ListRunPageAsync(new RunQuery { EnvironmentKey = "app/dev", Top = 50 })).Runs.ToJsonString()));
        outputs.Add(("api run", (await runtime.Api.GetRunAsync(failed.RunId))!.ToJsonString()));
        outputs.Add(("status page", await runtime.Api.StatusPageAsync()));
        outputs.Add(("run page", (await runtime.Api.RunStatusPageAsync(applied.RunId))!));

        Assert.Contains(outputs, o => o.Where == "log");
        foreach (var (where, text) in outputs)
        {
            Assert.False(text.Contains(FirstValue, StringComparison.Ordinal), $"the first secret value leaked into {where}");
            Assert.False(text.Contains(SecondValue, StringComparison.Ordinal), $"the rotated secret value leaked into {where}");
        }
    }

    /// <summary>Every formatted log line (with its exception), from every category.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                owner.Lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
