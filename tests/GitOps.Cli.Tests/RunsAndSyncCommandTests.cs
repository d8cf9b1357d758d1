using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Planning;
using GitOps.Core.Runs;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class CliAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "cli-azurite";
}

/// <summary><c>gitops runs list|show</c> and <c>gitops sync</c> against a real Azurite.</summary>
[Collection(CliAzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RunsAndSyncCommandTests(AzuriteFixture azurite)
{
    private readonly string _container = AzuriteFixture.UniqueName("gitops");
    private readonly string _queue = AzuriteFixture.UniqueName("reconcile");

    private string[] Storage => ["--storage", azurite.ConnectionString, "--container", _container, "--queue", _queue];

    private async Task<GitOpsStorage> OpenAsync() =>
        await GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), new GitOpsStorageOptions { ContainerName = _container, QueueName = _queue });

    private static RunRecord Run(string environment, DateTimeOffset at, RunOutcome outcome, string summary) => new()
    {
        RunId = RunIds.New(at),
        Repository = "platform",
        Environment = environment,
        Trigger = RunTrigger.Push,
        Commit = new CommitInfo("89abcdef0123456789abcdef0123456789abcdef", "Grace Hopper", "grace@example.com", at, "Tighten TLS\n\nPolicy 7."),
        StartedAt = at,
        FinishedAt = at.AddSeconds(3),
        Outcome = outcome,
        Summary = summary,
        Plan = new RecordedPlan
        {
            Environment = environment,
            Changes =
            [
                new RecordedChange
                {
                    Id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1",
                    Type = "Microsoft.Storage/storageAccounts",
                    ApiVersion = "2023-05-01",
                    Action = PlanAction.Update,
                    Diffs = [new RecordedDiff("/properties/minimumTlsVersion", JsonValue.Create("TLS1_2"), JsonValue.Create("TLS1_0"))],
                },
            ],
            Summary = new PlanSummary(Create: 0, Update: 1, Delete: 0, Detach: 0, Noop: 0, Drift: 0),
        },
        Results = outcome == RunOutcome.Failed
            ? [new ResourceResult("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1", PlanAction.Update, ResourceOutcome.Failed, "InvalidParameter", "Bad TLS value.", "corr-42")]
            : [],
    };

    [Fact]
    public async Task Runs_List_Shows_Newest_First_And_Filters_By_Environment()
    {
        var storage = await OpenAsync();
        var older = Run("dev", DateTimeOffset.Parse("2026-11-01T10:00:00Z"), RunOutcome.Applied, "Applied 89abcde: 1 write(s).");
        var newer = Run("prod", DateTimeOffset.Parse("2026-11-01T11:00:00Z"), RunOutcome.Failed, "1 of 1 change(s) did not apply.");
        await storage.Runs.SaveAsync(older);
        await storage.Runs.SaveAsync(newer);

        var all = await CliRunner.RunAsync(["runs", "list", .. Storage]);
        var prod = await CliRunner.RunAsync(["runs", "list", "--env", "prod", "--output", "json", .. Storage]);

        Assert.Equal(ExitCodes.Success, all.ExitCode);
        Assert.True(all.Out.IndexOf("platform/prod", StringComparison.Ordinal) < all.Out.IndexOf("platform/dev", StringComparison.Ordinal));
        Assert.Contains("failed", all.Out, StringComparison.Ordinal);
        Assert.Contains("89abcde", all.Out, StringComparison.Ordinal);
        var json = JsonNode.Parse(prod.Out)!.AsArray();
        Assert.Equal(newer.RunId, Assert.Single(json)!["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Runs_Show_Prints_Commit_Plan_Diffs_And_Failures()
    {
        var storage = await OpenAsync();
        var run = Run("prod", DateTimeOffset.Parse("2026-11-01T11:00:00Z"), RunOutcome.Failed, "1 of 1 change(s) did not apply.");
        await storage.Runs.SaveAsync(run);

        var (code, output, _) = await CliRunner.RunAsync(["runs", "show", run.RunId, .. Storage]);
        var missing = await CliRunner.RunAsync(["runs", "show", "0000000000000000000-doesnotexist", .. Storage]);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Grace Hopper", output, StringComparison.Ordinal);
        Assert.Contains("Tighten TLS", output, StringComparison.Ordinal);
        Assert.Contains("/properties/minimumTlsVersion: \"TLS1_0\" → \"TLS1_2\"", output, StringComparison.Ordinal);
        Assert.Contains("InvalidParameter: Bad TLS value. (correlation id corr-42)", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, missing.ExitCode);
        Assert.Contains("no run", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_Enqueues_A_Manual_Job_The_Reconcile_Function_Can_Read()
    {
        var storage = await OpenAsync();

        var (code, output, error) = await CliRunner.RunAsync(["sync", "--env", "platform/prod", .. Storage]);

        Assert.Equal(ExitCodes.Success, code);
        var message = Assert.Single(await storage.Queue.ReceiveMessagesAsync(32));
        var job = ReconcileJobJson.Parse(message.Text!);
        Assert.Equal(("platform", "prod", RunTrigger.Manual, (string?)null), (job.Repository, job.Environment, job.Trigger, job.Commit));
        Assert.Equal("cli:" + Environment.UserName, job.RequestedBy);
        Assert.Equal(output.Trim(), job.JobId);
        Assert.Contains("gitops runs list --env platform/prod", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_By_Name_Uses_The_Only_Repository_With_That_Environment()
    {
        var storage = await OpenAsync();
        await storage.States.SaveAsync(EnvironmentState.New("platform", "prod"), etag: null);

        var found = await CliRunner.RunAsync(["sync", "--env", "prod", .. Storage]);
        var unknown = await CliRunner.RunAsync(["sync", "--env", "staging", .. Storage]);

        Assert.Equal(ExitCodes.Success, found.ExitCode);
        Assert.Equal("platform", ReconcileJobJson.Parse(Assert.Single(await storage.Queue.ReceiveMessagesAsync(32)).Text!).Repository);
        Assert.Equal(ExitCodes.Error, unknown.ExitCode);
        Assert.Contains("REPOSITORY/staging", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_Storage_Is_A_Clear_Error()
    {
        var (code, _, error) = await CliRunner.RunAsync("runs", "list", "--storage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteFixture.AccountKey + ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1");

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("cannot reach storage", error, StringComparison.Ordinal);
    }
}
