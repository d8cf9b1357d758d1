using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BlobDeliveryLogTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Replay_Of_A_Recorded_Delivery_Is_Refused_Until_Forgotten()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        const string id = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

        Assert.True(await storage.Deliveries.TryRecordAsync("github", id));
        Assert.False(await storage.Deliveries.TryRecordAsync("github", id));
        Assert.False(await storage.Deliveries.TryRecordAsync("GitHub", id));
        Assert.True(await storage.Deliveries.TryRecordAsync("gitlab", id));
        Assert.True((await storage.Blobs.GetBlobClient($"deliveries/github/{id}").ExistsAsync()).Value);

        Assert.True(await storage.Deliveries.ForgetAsync("github", id));
        Assert.True(await storage.Deliveries.TryRecordAsync("github", id));
    }

    [Fact]
    public async Task Concurrent_Records_Of_One_Delivery_Admit_Exactly_One()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => storage.Deliveries.TryRecordAsync("gitea", "delivery-7")));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Ids_With_Separators_Stay_Distinct_And_Bad_Input_Is_Refused()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);

        Assert.True(await storage.Deliveries.TryRecordAsync("bitbucket", "{a/b}"));
        Assert.True(await storage.Deliveries.TryRecordAsync("bitbucket", "{a%2Fb}"));
        Assert.False(await storage.Deliveries.TryRecordAsync("bitbucket", "{a/b}"));

        await Assert.ThrowsAsync<ArgumentException>(() => storage.Deliveries.TryRecordAsync("git/hub", "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.Deliveries.TryRecordAsync("github", ".."));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.Deliveries.TryRecordAsync("github", new string('x', 201)));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.Deliveries.TryRecordAsync("github", "line\nbreak"));
    }
}
