using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;
using GitOps.Storage.Retention;
using GitOps.Storage.Tests.Reconcile;
using GitOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Storage.Tests.Retention;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RetentionCleanerTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T03:00:00Z");

    private async Task<(GitOpsStorage Storage, FakeTimeProvider Clock)> NewStorageAsync(DateTimeOffset start)
    {
        var clock = new FakeTimeProvider(start);
        var storage = await GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), StoreTestSupport.NewOptions() with { TimeProvider = clock });
        return (storage, clock);
    }

    private static async Task<List<string>> ListedAsync(GitOpsStorage storage, string? key) =>
        (await storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = key, Top = 100 })).Runs.Select(r => r.RunId).ToList();

    private static async Task<bool> BodyExistsAsync(GitOpsStorage storage, RunRecord run) =>
        (await storage.Blobs.GetBlobClient($"runs/{run.EnvironmentKey}/{run.RunId}.json").ExistsAsync()).Value;

    [Fact]
    public async Task A_Pass_Deletes_Old_Runs_Runs_Beyond_The_Count_And_Old_Deliveries_And_Records_What_It_Did()
    {
        var (storage, clock) = await NewStorageAsync(Now - TimeSpan.FromDays(40));
        Assert.True(await storage.Deliveries.TryRecordAsync("github", "old-1"));
        Assert.True(await storage.Deliveries.TryRecordAsync("github", "old-2"));
        clock.Advance(TimeSpan.FromDays(39));
        Assert.True(await storage.Deliveries.TryRecordAsync("github", "recent"));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(Now, clock.GetUtcNow());

        var old = new[] { 100, 95 }.Select(d => StoreTestSupport.Run("platform", "prod", Now - TimeSpan.FromDays(d))).ToList();
        var recent = new[] { 4, 3, 2, 1 }.Select(d => StoreTestSupport.Run("platform", "prod", Now - TimeSpan.FromDays(d))).ToList();
        var dev = new[] { 2, 1 }.Select(d => StoreTestSupport.Run("platform", "dev", Now - TimeSpan.FromDays(d))).ToList();
        foreach (var run in old.Concat(recent).Concat(dev))
        {
            await storage.Runs.SaveAsync(run);
        }

        await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod"), null);
        await storage.States.SaveAsync(StoreTestSupport.State("platform", "dev"), null);
        var cleaner = new RetentionCleaner(storage, new RetentionOptions { MaxRunAge = TimeSpan.FromDays(90), MaxRunsPerEnvironment = 3, DeliveryMaxAge = TimeSpan.FromDays(30) });

        var pass = await cleaner.RunOnceAsync();

        Assert.Equal((2, 1, 2, true), (pass.RunsDeletedByAge, pass.RunsDeletedByCount, pass.DeliveriesDeleted, pass.Complete));
        Assert.Equal(old.Select(r => r.RunId).Append(recent[0].RunId).Order(), pass.DeletedRunIds.Order());
        Assert.Equal(recent.Skip(1).Reverse().Select(r => r.RunId), await ListedAsync(storage, "platform/prod"));
        Assert.Equal(dev.AsEnumerable().Reverse().Select(r => r.RunId), await ListedAsync(storage, "platform/dev"));
        Assert.Equal(5, (await ListedAsync(storage, null)).Count);
        Assert.False(await BodyExistsAsync(storage, old[0]));
        Assert.False(await BodyExistsAsync(storage, recent[0]));
        Assert.True(await BodyExistsAsync(storage, recent[1]));
        Assert.Null(await storage.Runs.GetAsync(old[1].RunId));
        Assert.False(await storage.Deliveries.TryRecordAsync("github", "recent"));
        Assert.True(await storage.Deliveries.TryRecordAsync("github", "old-1"));

        var record = Assert.Single(storage.Blobs.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, RetentionCleaner.PassPrefix, CancellationToken.None));
        var stored = JsonNode.Parse((await storage.Blobs.GetBlobClient(record.Name).DownloadContentAsync()).Value.Content.ToString())!;
        Assert.Equal(2, stored["deliveriesDeleted"]!.GetValue<int>());
        Assert.Equal(3, stored["deletedRunIds"]!.AsArray().Count);
    }

    [Fact]
    public async Task Preview_Blobs_Not_Rewritten_For_The_Age_Limit_Are_Deleted_And_Nothing_Else()
    {
        // Previews are dated by the service's last-modified time, so the cleaner's clock is moved past it.
        var (storage, clock) = await NewStorageAsync(DateTimeOffset.UtcNow);
        var previews = new[] { StorageLayout.PreviewHeadBlob("platform", 7), StorageLayout.PreviewBlob("platform", 7, "prod") };
        foreach (var name in previews)
        {
            await storage.Blobs.GetBlobClient(name).UploadAsync(BinaryData.FromString("{}"));
        }

        await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod"), null);
        var cleaner = new RetentionCleaner(storage, new RetentionOptions { PreviewMaxAge = TimeSpan.FromDays(90) });

        clock.Advance(TimeSpan.FromDays(89));
        var early = await cleaner.RunOnceAsync();
        clock.Advance(TimeSpan.FromDays(2));
        var late = await cleaner.RunOnceAsync();

        Assert.Equal(0, early.PreviewsDeleted);
        Assert.Equal((2, true), (late.PreviewsDeleted, late.Complete));
        Assert.Contains("2 preview blob(s)", late.Summary, StringComparison.Ordinal);
        foreach (var name in previews)
        {
            Assert.False((await storage.Blobs.GetBlobClient(name).ExistsAsync()).Value, name);
        }

        Assert.NotNull(await storage.States.GetAsync("platform/prod"));
    }

    [Fact]
    public async Task A_Pass_Stops_At_Its_Budget_And_The_Next_Passes_Finish_The_Work()
    {
        var (storage, _) = await NewStorageAsync(Now);
        var old = Enumerable.Range(0, 5).Select(d => StoreTestSupport.Run("platform", "prod", Now - TimeSpan.FromDays(100 + d))).ToList();
        foreach (var run in old)
        {
            await storage.Runs.SaveAsync(run);
        }

        var cleaner = new RetentionCleaner(storage, new RetentionOptions { MaxDeletesPerPass = 2 });

        var passes = new List<RetentionPass>();
        do
        {
            passes.Add(await cleaner.RunOnceAsync());
            Assert.True(passes.Count <= 5, "the passes never completed");
        }
        while (!passes[^1].Complete);

        Assert.Equal([2, 2, 1], passes.Select(p => p.RunsDeletedByAge));
        Assert.Empty(await ListedAsync(storage, null));
        Assert.Equal(3, storage.Blobs.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, RetentionCleaner.PassPrefix, CancellationToken.None).Count());
    }

    [Fact]
    public async Task A_Deletion_That_Died_Half_Way_Is_Finished_By_The_Next_Pass()
    {
        var (storage, _) = await NewStorageAsync(Now);
        var run = StoreTestSupport.Run("platform", "prod", Now - TimeSpan.FromDays(120));
        await storage.Runs.SaveAsync(run);

        // The body went, the ledger entities stayed (the process died in between): still listed, not showable.
        await storage.Blobs.DeleteBlobAsync($"runs/platform/prod/{run.RunId}.json");
        Assert.Equal([run.RunId], await ListedAsync(storage, "platform/prod"));
        Assert.Null(await storage.Runs.GetAsync(run.RunId));

        var pass = await new RetentionCleaner(storage).RunOnceAsync();

        Assert.Equal([run.RunId], pass.DeletedRunIds);
        Assert.Empty(await ListedAsync(storage, null));
        Assert.Empty(await ListedAsync(storage, "platform/prod"));
    }

    [Fact]
    public void Out_Of_Range_Limits_Are_Refused()
    {
        var storage = new GitOpsStorage(StorageConnection.Parse(azurite.ConnectionString));

        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionCleaner(storage, new RetentionOptions { MaxRunAge = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionCleaner(storage, new RetentionOptions { MaxRunsPerEnvironment = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetentionCleaner(storage, new RetentionOptions { MaxDeletesPerPass = -1 }));
    }
}
