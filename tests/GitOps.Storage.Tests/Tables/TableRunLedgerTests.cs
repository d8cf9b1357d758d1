using Azure;
using Azure.Core;
using Azure.Data.Tables;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;
using GitOps.Storage.Tests.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Tables;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TableRunLedgerTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T10:00:00Z");

    private async Task<(GitOpsStorage Storage, StorageFaults Blobs, StorageFaults Tables)> NewStorageAsync()
    {
        var blobFaults = new StorageFaults();
        var blobOptions = StorageClients.NewBlobClientOptions();
        blobOptions.AddPolicy(blobFaults, HttpPipelinePosition.PerCall);
        var tableFaults = new StorageFaults(r => r.Method != RequestMethod.Get);
        var tableOptions = new TableClientOptions { Retry = { MaxRetries = 0 } };
        tableOptions.AddPolicy(tableFaults, HttpPipelinePosition.PerCall);
        var storage = await GitOpsStorage.CreateAsync(
            StorageConnection.Parse(azurite.ConnectionString),
            StoreTestSupport.NewOptions() with { BlobClientOptions = blobOptions, TableClientOptions = tableOptions });
        return (storage, blobFaults, tableFaults);
    }

    private static async Task<List<RunSummary>> AllPagesAsync(GitOpsStorage storage, RunQuery query)
    {
        var runs = new List<RunSummary>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await storage.Ledger.ListAsync(query with { After = after });
            Assert.True(page.Runs.Count <= query.Top);
            runs.AddRange(page.Runs);
            after = page.Next;
            Assert.True(++pages < 100, "the continuation never ended");
        }
        while (after is not null);

        return runs;
    }

    [Fact]
    public async Task Pages_Are_Newest_First_Per_Environment_And_Across_Environments_Until_The_Token_Runs_Out()
    {
        var (storage, _, _) = await NewStorageAsync();
        var prod = Enumerable.Range(0, 7).Select(m => StoreTestSupport.Run("platform", "prod", T0.AddMinutes(m))).ToList();
        var dev = Enumerable.Range(0, 3).Select(m => StoreTestSupport.Run("apps", "dev", T0.AddMinutes(m).AddSeconds(30))).ToList();
        foreach (var run in prod.Concat(dev))
        {
            await storage.Runs.SaveAsync(run);
        }

        var first = await storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "platform/prod", Top = 3 });
        var prodPages = await AllPagesAsync(storage, new RunQuery { EnvironmentKey = "platform/prod", Top = 3 });
        var allPages = await AllPagesAsync(storage, new RunQuery { Top = 4 });
        var exact = await storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "apps/dev", Top = 3 });

        Assert.Equal(3, first.Runs.Count);
        Assert.NotNull(first.Next);
        Assert.Equal(prod.OrderByDescending(r => r.StartedAt).Select(r => r.RunId), prodPages.Select(r => r.RunId));
        Assert.Equal(prod.Concat(dev).OrderByDescending(r => r.StartedAt).Select(r => r.RunId), allPages.Select(r => r.RunId));
        Assert.Null(exact.Next);
        var listed = prodPages[0];
        Assert.Equal("Ada Lovelace", listed.Commit!.Author);
        Assert.Equal("Add storage", listed.Commit.Message);
        Assert.Equal((1, 1, 1), (listed.Creates, listed.Failed, listed.ErrorCount));
        Assert.Equal(prod[6].FinishedAt, listed.FinishedAt);
    }

    [Fact]
    public async Task Outcome_Trigger_And_Time_Window_Are_Filtered_By_The_Service()
    {
        var (storage, _, _) = await NewStorageAsync();
        var runs = new List<RunRecord>();
        for (var m = 0; m < 12; m++)
        {
            var run = StoreTestSupport.Run("platform", "prod", T0.AddMinutes(m), m % 3 == 0 ? RunOutcome.Failed : RunOutcome.Applied) with
            {
                Trigger = m % 2 == 0 ? RunTrigger.Drift : RunTrigger.Push,
            };
            runs.Add(run);
            await storage.Runs.SaveAsync(run);
        }

        var failed = await AllPagesAsync(storage, RunQuery.Parse("platform/prod", "failed", null, null, null, 2, null));
        var failedDrift = await AllPagesAsync(storage, RunQuery.Parse(null, "Failed", "drift", null, null, 10, null));
        var window = await AllPagesAsync(storage, RunQuery.Parse("platform/prod", null, null, "2026-11-01T10:03:00Z", "2026-11-01T10:07:00Z", 3, null));

        Assert.Equal(runs.Where(r => r.Outcome == RunOutcome.Failed).OrderByDescending(r => r.StartedAt).Select(r => r.RunId), failed.Select(r => r.RunId));
        Assert.Equal([T0.AddMinutes(6), T0], failedDrift.Select(r => r.StartedAt));
        Assert.Equal([6, 5, 4, 3], window.Select(r => (int)(r.StartedAt - T0).TotalMinutes));
    }

    [Fact]
    public async Task Listing_Reads_No_Run_Body_And_Tolerates_A_Missing_One()
    {
        var (storage, blobRequests, _) = await NewStorageAsync();
        var runs = Enumerable.Range(0, 5).Select(m => StoreTestSupport.Run("platform", "prod", T0.AddMinutes(m))).ToList();
        foreach (var run in runs)
        {
            await storage.Runs.SaveAsync(run);
        }

        await storage.Blobs.DeleteBlobAsync($"runs/platform/prod/{runs[2].RunId}.json");
        blobRequests.Reset();

        var page = await storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "platform/prod", Top = 10 });
        var across = await storage.Ledger.ListAsync(new RunQuery { Top = 10 });

        Assert.Equal(0, blobRequests.Requests);
        Assert.Equal(5, page.Runs.Count);
        Assert.Equal(5, across.Runs.Count);
        Assert.Null(await storage.Runs.GetAsync(runs[2].RunId));
        Assert.NotNull(await storage.Runs.GetAsync(runs[3].RunId));
    }

    [Fact]
    public async Task A_Ledger_Failure_Half_Way_Never_Lists_A_Missing_Record_And_Reindex_Repairs_It()
    {
        var (storage, _, tableFaults) = await NewStorageAsync();
        var running = StoreTestSupport.Run("platform", "prod", T0, RunOutcome.Running) with { FinishedAt = null, Summary = "Running." };
        await storage.Runs.SaveAsync(running);
        var lost = StoreTestSupport.Run("platform", "prod", T0.AddMinutes(1));

        tableFaults.Armed = true;
        await Assert.ThrowsAsync<RequestFailedException>(() => storage.Runs.SaveAsync(running with { Outcome = RunOutcome.Applied, Summary = "Applied." }));
        await Assert.ThrowsAsync<RequestFailedException>(() => storage.Runs.SaveAsync(lost));
        tableFaults.Armed = false;

        // The dead writer's records are on disk; the listing shows the older state, never a row without a record.
        var before = await storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "platform/prod" });
        Assert.Equal(RunOutcome.Running, Assert.Single(before.Runs).Outcome);
        Assert.Equal(RunOutcome.Applied, (await storage.Runs.GetAsync(running.RunId))!.Outcome);

        var (indexed, _) = await storage.Runs.ReindexAsync();

        var after = await storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "platform/prod" });
        Assert.Equal(2, indexed);
        Assert.Equal([lost.RunId, running.RunId], after.Runs.Select(r => r.RunId));
        Assert.Equal(RunOutcome.Applied, after.Runs[1].Outcome);
        Assert.Equal(RunOutcome.Applied, (await storage.Runs.GetAsync(lost.RunId))!.Outcome);
    }

    [Fact]
    public async Task Blob_Only_Records_Are_Shown_By_Id_Then_Listed_After_Reindex()
    {
        var (storage, _, _) = await NewStorageAsync();
        var old = StoreTestSupport.Run("platform", "prod", T0);
        await storage.Blobs.UploadBlobAsync($"runs/platform/prod/{old.RunId}.json", BinaryData.FromString(RunJson.Serialize(old)));
        await storage.Blobs.UploadBlobAsync($"run-index/{old.RunId}/platform/prod", BinaryData.Empty);
        await storage.Blobs.UploadBlobAsync("runs/platform/prod/notes.txt", BinaryData.FromString("not a run"));

        Assert.Empty((await storage.Ledger.ListAsync(new RunQuery())).Runs);
        Assert.Equal(old.RunId, (await storage.Runs.GetAsync(old.RunId))!.RunId);

        var (indexed, oldIndex) = await storage.Runs.ReindexAsync();
        var again = await storage.Runs.ReindexAsync();

        Assert.Equal((1, 1), (indexed, oldIndex));
        Assert.Equal((1, 0), again);
        Assert.Equal(old.RunId, Assert.Single((await storage.Ledger.ListAsync(new RunQuery())).Runs).RunId);
        Assert.Equal(old.RunId, (await storage.Runs.GetAsync(old.RunId))!.RunId);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("PartitionKey eq 'x'")]
    public async Task A_Forged_Continuation_Token_Is_Refused(string token)
    {
        var (storage, _, _) = await NewStorageAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => storage.Ledger.ListAsync(new RunQuery { After = token }));

        Assert.Contains("continuation token", error.Message, StringComparison.Ordinal);
    }
}
