using GitOps.Core.Apply;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

/// <summary>Issue 19: the checkpoint blob beside the state (gzip JSON, ETag-guarded) and the full plan beside a record.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BlobRunCheckpointStoreTests(AzuriteFixture azurite)
{
    internal static RunCheckpoint Checkpoint(int ticket = 1) => new()
    {
        RunId = "7980000000000000000-0a1b2c3d",
        Repository = "platform",
        Environment = "prod",
        JobId = "job-1",
        Trigger = RunTrigger.Push,
        StartedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"),
        Commit = new CommitInfo(new string('a', 40), "Ada Lovelace", "ada@example.com", DateTimeOffset.Parse("2026-12-01T09:00:00Z"), "Add storage"),
        Ticket = ticket,
        Planned = [new PlannedResource("/subscriptions/s/resourceGroups/rg", PlanAction.Create, "sha256:" + new string('0', 64))],
        Results = [new ResourceResult("/subscriptions/s/resourceGroups/rg", PlanAction.Create, ResourceOutcome.Succeeded, CorrelationId: "c-1")],
        InFlight = ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1"],
    };

    [Fact]
    public async Task A_Checkpoint_Round_Trips_Compressed_Beside_The_State_And_Is_Guarded_By_Its_ETag()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);

        var etag = await storage.Checkpoints.SaveAsync(Checkpoint(), etag: null);
        var read = await storage.Checkpoints.GetAsync("platform/prod");

        Assert.Equal(etag, read!.ETag);
        Assert.Null(read.Problem);
        Assert.Equal("c-1", Assert.Single(read.Checkpoint!.Results).CorrelationId);
        Assert.Single(read.Checkpoint.InFlight);
        var blob = (await storage.Blobs.GetBlobClient("environments/platform/prod/checkpoint.json.gz").DownloadContentAsync()).Value;
        Assert.Equal([0x1f, 0x8b], blob.Content.ToArray()[..2]);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => storage.Checkpoints.SaveAsync(Checkpoint(), etag: null));

        var next = await storage.Checkpoints.SaveAsync(Checkpoint(ticket: 2), etag);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => storage.Checkpoints.SaveAsync(Checkpoint(ticket: 3), etag));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => storage.Checkpoints.DeleteAsync("platform/prod", etag));
        Assert.Equal(2, (await storage.Checkpoints.GetAsync("platform/prod"))!.Checkpoint!.Ticket);

        // Beside the state, but never taken for one.
        Assert.Empty(await storage.States.ListAsync());
        await storage.Checkpoints.DeleteAsync("platform/prod", next);
        Assert.Null(await storage.Checkpoints.GetAsync("platform/prod"));
    }

    [Fact]
    public async Task A_Damaged_Checkpoint_Reads_As_A_Problem_Naming_The_Blob()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        await storage.Blobs.GetBlobClient("environments/platform/prod/checkpoint.json.gz").UploadAsync(BinaryData.FromString("{\"runId\":1}"));

        var read = await storage.Checkpoints.GetAsync("platform/prod");

        Assert.Null(read!.Checkpoint);
        Assert.Contains("checkpoint.json.gz", read.Problem, StringComparison.Ordinal);
        await storage.Checkpoints.DeleteAsync("platform/prod", read.ETag);
        Assert.Null(await storage.Checkpoints.GetAsync("platform/prod"));
    }

    [Fact]
    public async Task A_Full_Plan_Is_Kept_Outside_The_Run_Listing_And_Deleted_With_Its_Run()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var run = new RunRecord
        {
            RunId = "7980000000000000001-0a1b2c3d",
            Repository = "platform",
            Environment = "prod",
            Trigger = RunTrigger.Push,
            StartedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"),
            Outcome = RunOutcome.Applied,
        };
        var detail = new RunDetail
        {
            RunId = run.RunId,
            Repository = "platform",
            Environment = "prod",
            Plan = new RecordedPlan { Environment = "prod", Changes = [new RecordedChange { Id = "/x", Type = "t", ApiVersion = "1", Action = PlanAction.Noop }] },
            Results = [new ResourceResult("/y", PlanAction.Create, ResourceOutcome.Succeeded)],
        };

        var link = await storage.Runs.SaveDetailAsync(detail);
        await storage.Runs.SaveAsync(run with { FullPlan = link });

        Assert.Equal($"plans/platform/prod/{run.RunId}.json", link);
        var read = await storage.Runs.GetDetailAsync(run.RunId);
        Assert.Equal(PlanAction.Noop, Assert.Single(read!.Plan!.Changes).Action);
        Assert.Single(read.Results);
        Assert.Single(await storage.Runs.ListAsync("platform/prod", 10));
        Assert.Equal(1, (await storage.Runs.ReindexAsync()).Indexed);

        await storage.Runs.DeleteAsync(RunSummary.Of(run with { FullPlan = link }));
        Assert.Null(await storage.Runs.GetDetailAsync(run.RunId));
        Assert.False((await storage.Blobs.GetBlobClient(link!).ExistsAsync()).Value);
    }
}
