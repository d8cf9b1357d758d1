using GitOps.Storage.Blobs;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class JsonBlobStoreTests(AzuriteFixture azurite)
{
    private sealed record EnvironmentState(string LastAppliedCommit, int Generation);

    private async Task<JsonBlobStore> NewStoreAsync()
    {
        var blobs = new StorageBlobClient(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("json"));
        await blobs.CreateContainerIfNotExistsAsync();
        return new JsonBlobStore(blobs);
    }

    [Fact]
    public async Task Create_Only_Has_One_Winner()
    {
        JsonBlobStore store = await NewStoreAsync();

        JsonBlobWriteResult first = await store.TryCreateAsync("deliveries/github/abc", new { received = "now" });
        JsonBlobWriteResult replay = await store.TryCreateAsync("deliveries/github/abc", new { received = "later" });

        Assert.True(first.Succeeded);
        Assert.False(replay.Succeeded);
        Assert.Equal(StorageConditionFailure.BlobAlreadyExists, replay.Conflict);
    }

    [Fact]
    public async Task Get_Returns_The_Document_And_The_ETag_Of_The_Last_Write()
    {
        JsonBlobStore store = await NewStoreAsync();
        JsonBlobWriteResult created = await store.TryCreateAsync("environments/prod/state.json", new EnvironmentState("abc123", 1));

        JsonBlob<EnvironmentState>? read = await store.GetAsync<EnvironmentState>("environments/prod/state.json");

        Assert.NotNull(read);
        Assert.Equal(new EnvironmentState("abc123", 1), read.Value);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Contains("\"lastAppliedCommit\"", (await store.Blobs.DownloadAsync("environments/prod/state.json"))!.Content.ToString(), StringComparison.Ordinal);
        Assert.Null(await store.GetAsync<EnvironmentState>("environments/none/state.json"));
    }

    [Fact]
    public async Task Replace_If_Match_Lets_Only_The_First_Of_Two_Concurrent_Updaters_Win()
    {
        JsonBlobStore store = await NewStoreAsync();
        await store.TryCreateAsync("state.json", new EnvironmentState("a", 1));
        JsonBlob<EnvironmentState> readByA = (await store.GetAsync<EnvironmentState>("state.json"))!;
        JsonBlob<EnvironmentState> readByB = (await store.GetAsync<EnvironmentState>("state.json"))!;

        JsonBlobWriteResult a = await store.TryReplaceAsync("state.json", readByA.Value with { Generation = 2 }, readByA.ETag);
        JsonBlobWriteResult b = await store.TryReplaceAsync("state.json", readByB.Value with { LastAppliedCommit = "b" }, readByB.ETag);

        Assert.True(a.Succeeded);
        Assert.False(b.Succeeded);
        Assert.Equal(StorageConditionFailure.ConditionNotMet, b.Conflict);
        Assert.Equal(new EnvironmentState("a", 2), (await store.GetAsync<EnvironmentState>("state.json"))!.Value);
    }

    [Fact]
    public async Task Replace_On_A_Leased_Document_Needs_The_Lease()
    {
        JsonBlobStore store = await NewStoreAsync();
        JsonBlobWriteResult created = await store.TryCreateAsync("state.json", new EnvironmentState("a", 1));
        string leaseId = await store.Blobs.AcquireLeaseAsync("state.json", TimeSpan.FromSeconds(15));

        JsonBlobWriteResult without = await store.TryReplaceAsync("state.json", new EnvironmentState("b", 2), created.ETag!.Value);
        JsonBlobWriteResult with = await store.TryReplaceAsync("state.json", new EnvironmentState("b", 2), created.ETag!.Value, leaseId);

        Assert.Equal(StorageConditionFailure.LeaseIdMissing, without.Conflict);
        Assert.True(with.Succeeded);
        await store.PutAsync("state.json", new EnvironmentState("c", 3), leaseId);
        Assert.Equal("c", (await store.GetAsync<EnvironmentState>("state.json"))!.Value.LastAppliedCommit);
    }

    [Fact]
    public async Task List_By_Prefix_Pages_Through_Everything()
    {
        JsonBlobStore store = await NewStoreAsync();
        for (int i = 0; i < 7; i++)
        {
            await store.PutAsync($"runs/prod/{i:D2}.json", new { i });
        }

        await store.PutAsync("runs/dev/00.json", new { i = 0 });

        List<BlobItem> items = await store.ListAsync("runs/prod/", pageSize: 3).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"runs/prod/{i:D2}.json"), items.Select(i => i.Name));
        BlobListPage page = await store.ListPageAsync("runs/prod/", marker: null, pageSize: 3);
        BlobListPage next = await store.ListPageAsync("runs/prod/", page.NextMarker, pageSize: 3);
        Assert.Equal("runs/prod/03.json", next.Items[0].Name);
    }

    [Fact]
    public async Task Delete_If_Match_Refuses_A_Stale_ETag()
    {
        JsonBlobStore store = await NewStoreAsync();
        JsonBlobWriteResult v1 = await store.TryCreateAsync("a.json", new { v = 1 });
        await store.PutAsync("a.json", new { v = 2 });

        StorageConditionFailedException error = await Assert.ThrowsAsync<StorageConditionFailedException>(() => store.DeleteAsync("a.json", v1.ETag));
        Assert.Equal(StorageConditionFailure.ConditionNotMet, error.Condition);
        Assert.True(await store.DeleteAsync("a.json"));
        Assert.False(await store.DeleteAsync("a.json"));
    }

    [Fact]
    public async Task Corrupt_Document_Names_The_Blob()
    {
        JsonBlobStore store = await NewStoreAsync();
        await store.Blobs.UploadAsync("environments/prod/state.json", BinaryData.FromString("{not json"));

        InvalidDataException error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync<EnvironmentState>("environments/prod/state.json"));
        Assert.Contains($"{store.Blobs.ContainerName}/environments/prod/state.json", error.Message, StringComparison.Ordinal);

        await store.Blobs.UploadAsync("null.json", BinaryData.FromString("null"));
        await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync<EnvironmentState>("null.json"));
    }
}
