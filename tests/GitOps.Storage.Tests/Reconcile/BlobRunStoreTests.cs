using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BlobRunStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-21T08:00:00Z");

    [Fact]
    public async Task Saved_Run_Reads_Back_By_Id_With_Plan_Results_And_Errors()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var run = StoreTestSupport.Run("platform", "prod", T0);

        await storage.Runs.SaveAsync(run);
        var loaded = await storage.Runs.GetAsync(run.RunId);

        Assert.NotNull(loaded);
        Assert.Equal(RunJson.Serialize(run), RunJson.Serialize(loaded));
        Assert.Equal(2, loaded.Results.Count);
        Assert.Equal("InvalidParameter", loaded.Results[1].ErrorCode);
        Assert.Equal(1, loaded.Plan!.Summary.Create);
        Assert.Equal("Add storage", loaded.Commit!.Subject);
    }

    [Fact]
    public async Task Run_Is_Stored_As_RunJson_Under_Its_Environment_Folder()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var run = StoreTestSupport.Run("platform", "prod", T0);

        await storage.Runs.SaveAsync(run);

        var blob = (await storage.Blobs.GetBlobClient($"runs/platform/prod/{run.RunId}.json").DownloadContentAsync()).Value;
        Assert.Equal(RunJson.Serialize(run), blob.Content.ToString());
        Assert.StartsWith("application/json", blob.Details.ContentType);
        var indexed = await storage.Ledger.FindAsync(run.RunId);
        Assert.Equal($"runs/platform/prod/{run.RunId}.json", indexed!.Body);
        Assert.False((await storage.Blobs.GetBlobClient($"run-index/{run.RunId}/platform/prod").ExistsAsync()).Value);
    }

    [Fact]
    public async Task Listing_One_Environment_Is_Newest_First_And_Bounded()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var runs = new[] { 2, 0, 3, 1 }.Select(m => StoreTestSupport.Run("platform", "prod", T0.AddMinutes(m))).ToList();
        foreach (var run in runs)
        {
            await storage.Runs.SaveAsync(run);
        }

        await storage.Runs.SaveAsync(StoreTestSupport.Run("platform", "staging", T0.AddMinutes(10)));
        await storage.Runs.SaveAsync(StoreTestSupport.Run("platform", "prod-eu", T0.AddMinutes(11)));

        var all = await storage.Runs.ListAsync("platform/prod", 10);
        var top2 = await storage.Runs.ListAsync("platform/prod", 2);

        Assert.Equal(runs.OrderByDescending(r => r.StartedAt).Select(r => r.RunId), all.Select(r => r.RunId));
        Assert.All(all, r => Assert.Equal("platform/prod", r.EnvironmentKey));
        Assert.Equal(all.Take(2).Select(r => r.RunId), top2.Select(r => r.RunId));
    }

    [Fact]
    public async Task Listing_All_Environments_Is_Newest_First_Overall()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var runs = new List<RunRecord>
        {
            StoreTestSupport.Run("platform", "prod", T0.AddMinutes(1)),
            StoreTestSupport.Run("platform", "staging", T0.AddMinutes(4)),
            StoreTestSupport.Run("apps", "dev", T0.AddMinutes(2)),
            StoreTestSupport.Run("platform", "prod", T0.AddMinutes(5)),
            StoreTestSupport.Run("apps", "dev", T0.AddMinutes(3)),
        };
        foreach (var run in runs)
        {
            await storage.Runs.SaveAsync(run);
        }

        var all = await storage.Runs.ListAsync(null, 100);
        var top3 = await storage.Runs.ListAsync(null, 3);

        Assert.Equal(runs.OrderByDescending(r => r.StartedAt).Select(r => r.RunId), all.Select(r => r.RunId));
        Assert.Equal(["platform/prod", "platform/staging", "apps/dev"], top3.Select(r => r.EnvironmentKey));
    }

    [Fact]
    public async Task Saving_The_Same_Run_Again_Replaces_It_Without_Duplicating_It()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var run = StoreTestSupport.Run("platform", "prod", T0, RunOutcome.Failed);

        await storage.Runs.SaveAsync(run);
        await storage.Runs.SaveAsync(run with { Outcome = RunOutcome.Applied, Summary = "Applied on retry." });

        Assert.Equal(RunOutcome.Applied, (await storage.Runs.GetAsync(run.RunId))!.Outcome);
        var listed = Assert.Single(await storage.Runs.ListAsync(null, 10));
        Assert.Equal("Applied on retry.", listed.Summary);
    }

    [Theory]
    [InlineData("00000000000000000000-missing")]
    [InlineData("../runs")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Unknown_Or_Impossible_Run_Id_Is_Not_Found(string runId)
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        await storage.Runs.SaveAsync(StoreTestSupport.Run("platform", "prod", T0));

        Assert.Null(await storage.Runs.GetAsync(runId));
    }

    [Fact]
    public async Task Run_Ids_And_Names_That_Cannot_Name_A_Blob_Are_Refused_With_The_Reason()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var run = StoreTestSupport.Run("platform", "prod", T0);

        var badId = await Assert.ThrowsAsync<ArgumentException>(() => storage.Runs.SaveAsync(run with { RunId = "x/../y" }));
        var badEnvironment = await Assert.ThrowsAsync<ArgumentException>(() => storage.Runs.SaveAsync(run with { Environment = ".." }));
        var badKey = await Assert.ThrowsAsync<ArgumentException>(() => storage.Runs.ListAsync("platform/prod/extra", 5));

        Assert.Contains("Run id 'x/../y'", badId.Message);
        Assert.Contains("'platform/..'", badEnvironment.Message);
        Assert.Contains("repository/environment", badKey.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.Runs.ListAsync(null, 0));
    }

    [Fact]
    public async Task Corrupt_Record_Is_Reported_With_Its_Blob_Name()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var run = StoreTestSupport.Run("platform", "prod", T0);
        await storage.Runs.SaveAsync(run);
        await storage.Blobs.GetBlobClient($"runs/platform/prod/{run.RunId}.json").UploadAsync(BinaryData.FromString("{ not json"), overwrite: true);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => storage.Runs.GetAsync(run.RunId));

        Assert.Contains($"runs/platform/prod/{run.RunId}.json", error.Message);
    }
}
