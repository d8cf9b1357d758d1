using GitOps.Core.Manifests.Config;
using GitOps.Core.Runs;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>Issue 18 item 1: <c>--override-window --reason</c> on sync and rollback, and the windows under <c>runs list</c>.</summary>
[Collection(CliAzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SyncWindowCommandTests(AzuriteFixture azurite)
{
    private const string Commit = "89abcdef0123456789abcdef0123456789abcdef";

    private readonly CliStorage _storage = new(azurite);

    private string[] Storage => _storage.Args;

    private Task<GitOpsStorage> OpenAsync() => _storage.OpenAsync();

    [Fact]
    public async Task Sync_With_Override_Window_Puts_The_Reason_On_The_Job()
    {
        var storage = await OpenAsync();

        var (code, _, _) = await CliRunner.RunAsync(["sync", "--env", "platform/prod", "--override-window", "--reason", "hotfix INC-42", .. Storage]);

        Assert.Equal(ExitCodes.Success, code);
        var job = ReconcileJobJson.Parse(Assert.Single(await storage.Queue.ReceiveMessagesAsync(32)).Text!);
        Assert.Equal("hotfix INC-42", job.WindowOverrideReason);
        Assert.Equal(RunTrigger.Manual, job.Trigger);
    }

    [Fact]
    public async Task Rollback_With_Override_Window_Puts_The_Reason_On_The_Job()
    {
        var storage = await OpenAsync();

        var (code, _, _) = await CliRunner.RunAsync(["rollback", "--env", "platform/prod", "--to", Commit, "--override-window", "--reason", "bad release", .. Storage]);

        Assert.Equal(ExitCodes.Success, code);
        var job = ReconcileJobJson.Parse(Assert.Single(await storage.Queue.ReceiveMessagesAsync(32)).Text!);
        Assert.Equal(("bad release", RunTrigger.Rollback), (job.WindowOverrideReason, job.Trigger));
    }

    [Fact]
    public async Task Override_Without_A_Reason_And_A_Reason_Without_Override_Are_Refused_Before_Enqueueing()
    {
        var storage = await OpenAsync();

        var bare = await CliRunner.RunAsync(["sync", "--env", "platform/prod", "--override-window", .. Storage]);
        var stray = await CliRunner.RunAsync(["sync", "--env", "platform/prod", "--reason", "why not", .. Storage]);

        Assert.Equal(ExitCodes.Error, bare.ExitCode);
        Assert.Contains("needs --reason", bare.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, stray.ExitCode);
        Assert.Contains("add --override-window", stray.Error, StringComparison.Ordinal);
        Assert.Empty(await storage.Queue.ReceiveMessagesAsync(32));
    }

    [Fact]
    public async Task Runs_Show_Prints_The_Window_Override_And_Each_Resources_Health()
    {
        var storage = await OpenAsync();
        var at = DateTimeOffset.Parse("2026-12-05T10:00:00Z");
        var run = new RunRecord
        {
            RunId = RunIds.New(at),
            Repository = "platform",
            Environment = "prod",
            Trigger = RunTrigger.Manual,
            StartedAt = at,
            Outcome = RunOutcome.Unhealthy,
            Summary = "1 resource(s) not healthy.",
            Window = new SyncWindowStatus(false, "closed by deny window 'weekend'", null) { OverriddenBy = "cli:alice", OverrideReason = "hotfix INC-42" },
            Health = [new GitOps.Core.Apply.ResourceHealth("/subscriptions/s/resourceGroups/rg", GitOps.Core.Apply.HealthStatus.Unhealthy, "provisioningState Failed")],
        };
        await storage.Runs.SaveAsync(run);

        var (code, output, _) = await CliRunner.RunAsync(["runs", "show", run.RunId, .. Storage]);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("window       closed by deny window 'weekend'; overridden by cli:alice: hotfix INC-42", output, StringComparison.Ordinal);
        Assert.Contains("health       /subscriptions/s/resourceGroups/rg: unhealthy (provisioningState Failed)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_List_Says_Whether_The_Windows_Are_Open_And_When_They_Open()
    {
        var storage = await OpenAsync();
        var at = DateTimeOffset.UtcNow;

        // A deny window over every minute never ends: the line says closed, whatever the time the test runs.
        var state = EnvironmentState.New("platform", "prod") with
        {
            SyncWindows = [new SyncWindow { Kind = SyncWindowKind.Deny, Schedule = "* * * * *", Duration = TimeSpan.FromHours(1), Name = "freeze", Triggers = [RunTrigger.Push] }],
        };
        await storage.States.SaveAsync(state, etag: null);
        await storage.Runs.SaveAsync(new RunRecord { RunId = RunIds.New(at), Repository = "platform", Environment = "prod", Trigger = RunTrigger.Push, StartedAt = at, Outcome = RunOutcome.Deferred, Summary = "Deferred." });

        var (code, output, _) = await CliRunner.RunAsync(["runs", "list", .. Storage]);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("platform/prod: push: closed by deny window 'freeze'", output, StringComparison.Ordinal);
        Assert.Contains("drift: open: no sync window governs drift runs", output, StringComparison.Ordinal);
    }
}
