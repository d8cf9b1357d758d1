using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BlobEnvironmentStateStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task State_Round_Trips_With_Inventory_Conditions_And_ETag()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var state = StoreTestSupport.State("platform", "prod");

        var etag = await storage.States.SaveAsync(state, etag: null);
        var loaded = await storage.States.GetAsync("platform/prod");

        Assert.NotNull(loaded);
        Assert.Equal(etag, loaded.Value.ETag);
        Assert.Equal(RunJson.Serialize(state), RunJson.Serialize(loaded.Value.State));
        Assert.Equal(2, loaded.Value.State.Inventory.Entries.Count);
        Assert.Equal(Conditions.Ready, Assert.Single(loaded.Value.State.Conditions).Type);
        var blob = await storage.Blobs.GetBlobClient("environments/platform/prod/state.json").DownloadContentAsync();
        Assert.Equal(RunJson.Serialize(state), blob.Value.Content.ToString());
    }

    [Fact]
    public async Task Missing_State_Is_Null()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);

        Assert.Null(await storage.States.GetAsync("platform/never"));
    }

    [Fact]
    public async Task Second_Writer_With_The_Same_ETag_Loses()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod"), null);
        var (_, etag) = (await storage.States.GetAsync("platform/prod"))!.Value;

        var newEtag = await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod", Conditions.InSync), etag);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => storage.States.SaveAsync(StoreTestSupport.State("platform", "prod", Conditions.ReconciliationFailed), etag));

        Assert.NotEqual(etag, newEtag);
        Assert.Contains("platform/prod", conflict.Message);
        var current = (await storage.States.GetAsync("platform/prod"))!.Value;
        Assert.Equal(Conditions.InSync, current.State.Conditions[0].Reason);
        Assert.Equal(newEtag, current.ETag);
    }

    [Fact]
    public async Task First_Write_Is_Create_Only()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod"), null);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => storage.States.SaveAsync(StoreTestSupport.State("platform", "prod", Conditions.ReconciliationFailed), null));

        Assert.Contains("created by another writer", conflict.Message);
        Assert.Equal(Conditions.ReconciliationSucceeded, (await storage.States.GetAsync("platform/prod"))!.Value.State.Conditions[0].Reason);
    }

    [Fact]
    public async Task Write_Based_On_A_Deleted_State_Conflicts()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var etag = await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod"), null);
        await storage.Blobs.DeleteBlobIfExistsAsync("environments/platform/prod/state.json");

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => storage.States.SaveAsync(StoreTestSupport.State("platform", "prod"), etag));
        Assert.Null(await storage.States.GetAsync("platform/prod"));
    }

    [Fact]
    public async Task List_Returns_Environment_Keys_With_State_Only()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod"), null);
        await storage.States.SaveAsync(StoreTestSupport.State("apps", "dev"), null);
        await using (await storage.Locks.TryAcquireAsync("platform/locked-only"))
        {
            var keys = await storage.States.ListAsync();

            Assert.Equal(["apps/dev", "platform/prod"], keys);
        }
    }
}
