using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Storage;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary><c>gitops runs list</c> filters and continuation, and <c>gitops runs reindex</c>, against a real Azurite.</summary>
[Collection(CliAzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RunsListPagingCommandTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T10:00:00Z");
    private readonly string _container = AzuriteFixture.UniqueName("gitops");
    private readonly string _queue = AzuriteFixture.UniqueName("reconcile");

    private string[] Storage => ["--storage", azurite.ConnectionString, "--container", _container, "--queue", _queue];

    private Task<GitOpsStorage> OpenAsync() =>
        GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), new GitOpsStorageOptions { ContainerName = _container, QueueName = _queue });

    private static RunRecord Run(string repository, string environment, int minute, RunOutcome outcome, RunTrigger trigger = RunTrigger.Push) => new()
    {
        RunId = RunIds.New(T0.AddMinutes(minute)),
        Repository = repository,
        Environment = environment,
        Trigger = trigger,
        StartedAt = T0.AddMinutes(minute),
        FinishedAt = T0.AddMinutes(minute).AddSeconds(3),
        Outcome = outcome,
        Summary = $"run {minute}",
    };

    private static List<string> Ids(string json) => JsonNode.Parse(json)!.AsArray().Select(r => r!["runId"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Runs_List_Pages_With_After_And_Filters_On_The_Service()
    {
        var storage = await OpenAsync();
        var runs = new List<RunRecord>();
        for (var m = 0; m < 9; m++)
        {
            var run = Run(m < 6 ? "platform" : "apps", "prod", m, m % 2 == 0 ? RunOutcome.Failed : RunOutcome.Applied, m % 3 == 0 ? RunTrigger.Drift : RunTrigger.Push);
            runs.Add(run);
            await storage.Runs.SaveAsync(run);
        }

        var first = await CliRunner.RunAsync(["runs", "list", "--env", "platform/prod", "--top", "4", "--output", "json", .. Storage]);
        var token = first.Error.Trim().Split(' ')[^1];
        var second = await CliRunner.RunAsync(["runs", "list", "--env", "platform/prod", "--top", "4", "--after", token, "--output", "json", .. Storage]);
        var anyRepo = await CliRunner.RunAsync(["runs", "list", "--env", "prod", "--outcome", "failed", "--trigger", "drift", "--output", "json", .. Storage]);
        var window = await CliRunner.RunAsync(["runs", "list", "--since", "2026-11-01T10:02:00Z", "--until", "2026-11-01T10:04:00Z", .. Storage]);
        var bad = await CliRunner.RunAsync(["runs", "list", "--outcome", "exploded", .. Storage]);

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains("--after ", first.Error, StringComparison.Ordinal);
        var platform = runs.Where(r => r.Repository == "platform").OrderByDescending(r => r.StartedAt).Select(r => r.RunId).ToList();
        Assert.Equal(platform.Take(4), Ids(first.Out));
        Assert.Equal(platform.Skip(4), Ids(second.Out));
        Assert.DoesNotContain("--after", second.Error, StringComparison.Ordinal);
        Assert.Equal([runs[6].RunId, runs[0].RunId], Ids(anyRepo.Out));
        Assert.Contains(runs[3].RunId, window.Out, StringComparison.Ordinal);
        Assert.Contains(runs[2].RunId, window.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(runs[4].RunId, window.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(runs[1].RunId, window.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, bad.ExitCode);
        Assert.Contains("Unknown outcome 'exploded'", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_Reindex_Makes_Blob_Only_Records_Listable()
    {
        var storage = await OpenAsync();
        var old = Run("platform", "prod", 1, RunOutcome.Applied);
        await storage.Blobs.UploadBlobAsync($"runs/platform/prod/{old.RunId}.json", BinaryData.FromString(RunJson.Serialize(old)));
        await storage.Blobs.UploadBlobAsync($"run-index/{old.RunId}/platform/prod", BinaryData.Empty);

        var before = await CliRunner.RunAsync(["runs", "list", "--output", "json", .. Storage]);
        var reindex = await CliRunner.RunAsync(["runs", "reindex", .. Storage]);
        var after = await CliRunner.RunAsync(["runs", "list", "--output", "json", .. Storage]);

        Assert.Empty(Ids(before.Out));
        Assert.Equal(ExitCodes.Success, reindex.ExitCode);
        Assert.Contains("Indexed 1 run record(s); deleted 1 old run-index blob(s).", reindex.Out, StringComparison.Ordinal);
        Assert.Equal([old.RunId], Ids(after.Out));
    }
}
