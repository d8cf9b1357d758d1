using GitOps.Core.Runs;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary><c>gitops suspend|resume|rollback</c> against a real Azurite.</summary>
[Collection(CliAzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SuspendResumeRollbackCommandTests(AzuriteFixture azurite)
{
    private const string OldSha = "0123456789abcdef0123456789abcdef01234567";

    private readonly string _container = AzuriteFixture.UniqueName("gitops");
    private readonly string _queue = AzuriteFixture.UniqueName("reconcile");

    private string[] Storage => ["--storage", azurite.ConnectionString, "--container", _container, "--queue", _queue];

    private async Task<GitOpsStorage> OpenAsync() =>
        await GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), new GitOpsStorageOptions { ContainerName = _container, QueueName = _queue });

    [Fact]
    public async Task Suspend_Writes_Who_Why_And_When_And_Resume_Clears_It_And_Enqueues_A_Reconcile()
    {
        var storage = await OpenAsync();
        var before = DateTimeOffset.UtcNow;

        var suspend = await CliRunner.RunAsync(["suspend", "--env", "platform/prod", "--reason", "incident 42", "--until", "2h", .. Storage]);

        Assert.Equal(ExitCodes.Success, suspend.ExitCode);
        var suspension = (await storage.States.GetAsync("platform/prod"))!.Value.State.Suspension!;
        Assert.Equal(("incident 42", "cli:" + Environment.UserName), (suspension.Reason, suspension.By));
        Assert.InRange(suspension.Since!.Value, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.InRange(suspension.Until!.Value, before.AddHours(2).AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(2));
        var record = Assert.Single(await storage.Runs.ListAsync("platform/prod", 10));
        Assert.Equal((RunOutcome.Suspended, suspend.Out.Trim()), (record.Outcome, record.RunId));
        Assert.Contains("incident 42", record.Summary, StringComparison.Ordinal);
        Assert.Empty(await storage.Queue.PeekMessagesAsync(32));

        var resume = await CliRunner.RunAsync(["resume", "--env", "prod", .. Storage]);

        Assert.Equal(ExitCodes.Success, resume.ExitCode);
        Assert.Null((await storage.States.GetAsync("platform/prod"))!.Value.State.Suspension);
        var job = ReconcileJobJson.Parse(Assert.Single(await storage.Queue.ReceiveMessagesAsync(32)).Text!);
        Assert.Equal((resume.Out.Trim(), "platform/prod", RunTrigger.Manual, (string?)null, "cli:" + Environment.UserName), (job.JobId, job.EnvironmentKey, job.Trigger, job.Commit, job.RequestedBy));
        Assert.Equal(RunOutcome.Resumed, (await storage.Runs.ListAsync("platform/prod", 10))[0].Outcome);
    }

    [Fact]
    public async Task Suspend_Rejects_A_Bad_Until_And_An_Empty_Reason_Without_Writing()
    {
        var storage = await OpenAsync();

        var badUntil = await CliRunner.RunAsync(["suspend", "--env", "platform/prod", "--reason", "x", "--until", "soon", .. Storage]);
        var past = await CliRunner.RunAsync(["suspend", "--env", "platform/prod", "--reason", "x", "--until", "2001-01-01T00:00:00Z", .. Storage]);
        var empty = await CliRunner.RunAsync(["suspend", "--env", "platform/prod", "--reason", " ", .. Storage]);
        var huge = await CliRunner.RunAsync(["suspend", "--env", "platform/prod", "--reason", new string('r', 1001), .. Storage]);

        Assert.Equal((ExitCodes.Error, ExitCodes.Error, ExitCodes.Error, ExitCodes.Error), (badUntil.ExitCode, past.ExitCode, empty.ExitCode, huge.ExitCode));
        Assert.Contains("'reason' is 1001 characters; the limit is 1000", huge.Error, StringComparison.Ordinal);
        Assert.Contains("ISO-8601", badUntil.Error, StringComparison.Ordinal);
        Assert.Contains("not in the future", past.Error, StringComparison.Ordinal);
        Assert.Contains("reason", empty.Error, StringComparison.Ordinal);
        Assert.Null(await storage.States.GetAsync("platform/prod"));
    }

    [Fact]
    public async Task Rollback_To_A_Run_Enqueues_A_Rollback_Job_For_Its_Commit()
    {
        var storage = await OpenAsync();
        var at = DateTimeOffset.Parse("2026-11-01T10:00:00Z");
        var run = new RunRecord
        {
            RunId = RunIds.New(at),
            Repository = "platform",
            Environment = "prod",
            Trigger = RunTrigger.Push,
            Commit = new CommitInfo(OldSha, "Grace Hopper", "grace@example.com", at, "Known good"),
            StartedAt = at,
            Outcome = RunOutcome.Applied,
        };
        await storage.Runs.SaveAsync(run);

        var byRun = await CliRunner.RunAsync(["rollback", "--env", "platform/prod", "--to", run.RunId, .. Storage]);
        var bySha = await CliRunner.RunAsync(["rollback", "--env", "platform/prod", "--to", OldSha.ToUpperInvariant(), .. Storage]);
        var shortSha = await CliRunner.RunAsync(["rollback", "--env", "platform/prod", "--to", "0123456", .. Storage]);
        var otherEnv = await CliRunner.RunAsync(["rollback", "--env", "platform/dev", "--to", run.RunId, .. Storage]);

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (byRun.ExitCode, bySha.ExitCode));
        Assert.Contains("git revert", byRun.Error, StringComparison.Ordinal);
        var jobs = (await storage.Queue.ReceiveMessagesAsync(32)).Select(m => ReconcileJobJson.Parse(m.Text!)).OrderBy(j => j.JobId == byRun.Out.Trim() ? 0 : 1).ToList();
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(("platform/prod", RunTrigger.Rollback, OldSha, "cli:" + Environment.UserName), (j.EnvironmentKey, j.Trigger, j.Commit, j.RequestedBy)));
        Assert.Equal(byRun.Out.Trim(), jobs[0].JobId);
        Assert.Equal(ExitCodes.Error, shortSha.ExitCode);
        Assert.Contains("full commit SHA", shortSha.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, otherEnv.ExitCode);
        Assert.Contains("belongs to platform/prod", otherEnv.Error, StringComparison.Ordinal);
    }
}
