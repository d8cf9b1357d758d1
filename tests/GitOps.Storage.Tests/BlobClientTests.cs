using Azure;
using GitOps.Storage.Blobs;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BlobClientTests(AzuriteFixture azurite)
{
    private async Task<StorageBlobClient> NewContainerAsync()
    {
        var client = new StorageBlobClient(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("c"));
        Assert.True(await client.CreateContainerIfNotExistsAsync());
        return client;
    }

    [Fact]
    public async Task Create_Container_Is_Idempotent()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        Assert.False(await blobs.CreateContainerIfNotExistsAsync());
        Assert.True(await blobs.DeleteContainerIfExistsAsync());
    }

    [Fact]
    public async Task Upload_Then_Download_Returns_Content_And_The_Same_ETag()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobUploadResult written = await blobs.UploadAsync("environments/prod/state.json", BinaryData.FromString("{\"a\":1}"), "application/json");

        BlobDownloadResult? read = await blobs.DownloadAsync("environments/prod/state.json");

        Assert.NotNull(read);
        Assert.Equal("{\"a\":1}", read.Content.ToString());
        Assert.Equal(written.ETag, read.Properties.ETag);
        Assert.Equal("application/json", read.Properties.ContentType);
        Assert.Equal(7, read.Properties.ContentLength);
        Assert.Equal(BlobLeaseState.Available, read.Properties.LeaseState);
    }

    [Fact]
    public async Task Names_With_Spaces_And_Unicode_Round_Trip()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        const string name = "deliveries/github/a b+c=d/é#1";
        await blobs.UploadAsync(name, BinaryData.FromString("x"));
        Assert.Equal("x", (await blobs.DownloadAsync(name))!.Content.ToString());
        Assert.Equal(name, Assert.Single(await blobs.ListBlobsAsync("deliveries/").ToListAsync()).Name);
    }

    [Fact]
    public async Task Missing_Blob_Reads_As_Null_And_Deletes_As_False()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        Assert.Null(await blobs.DownloadAsync("nope.json"));
        Assert.Null(await blobs.GetPropertiesAsync("nope.json"));
        Assert.False(await blobs.DeleteIfExistsAsync("nope.json"));
    }

    [Fact]
    public async Task Delete_Removes_The_Blob()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("a", BinaryData.FromString("x"));
        Assert.True(await blobs.DeleteIfExistsAsync("a"));
        Assert.Null(await blobs.DownloadAsync("a"));
    }

    [Fact]
    public async Task Create_Only_Write_Conflicts_When_The_Blob_Exists()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("deliveries/github/d1", BinaryData.FromString("first"), conditions: BlobRequestConditions.CreateOnly());

        StorageConditionFailedException conflict = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.UploadAsync("deliveries/github/d1", BinaryData.FromString("second"), conditions: BlobRequestConditions.CreateOnly()));

        Assert.Equal(StorageConditionFailure.BlobAlreadyExists, conflict.Condition);
        Assert.Equal(409, conflict.Status);
        Assert.Equal(StorageErrorCodes.BlobAlreadyExists, conflict.ErrorCode);
        Assert.Contains($"{blobs.ContainerName}/deliveries/github/d1", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("first", (await blobs.DownloadAsync("deliveries/github/d1"))!.Content.ToString());
    }

    [Fact]
    public async Task If_Match_Write_Succeeds_On_The_Current_ETag_And_Fails_With_412_On_A_Stale_One()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobUploadResult v1 = await blobs.UploadAsync("state.json", BinaryData.FromString("v1"));
        BlobUploadResult v2 = await blobs.UploadAsync("state.json", BinaryData.FromString("v2"), conditions: BlobRequestConditions.IfMatchETag(v1.ETag));
        Assert.NotEqual(v1.ETag, v2.ETag);

        StorageConditionFailedException stale = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.UploadAsync("state.json", BinaryData.FromString("v3"), conditions: BlobRequestConditions.IfMatchETag(v1.ETag)));

        Assert.Equal(StorageConditionFailure.ConditionNotMet, stale.Condition);
        Assert.Equal(412, stale.Status);
        Assert.Equal("v2", (await blobs.DownloadAsync("state.json"))!.Content.ToString());
    }

    [Fact]
    public async Task If_Match_Delete_Guards_Against_A_Concurrent_Write()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobUploadResult v1 = await blobs.UploadAsync("a", BinaryData.FromString("v1"));
        await blobs.UploadAsync("a", BinaryData.FromString("v2"));
        StorageConditionFailedException error = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.DeleteIfExistsAsync("a", new BlobRequestConditions { IfMatch = v1.ETag }));
        Assert.Equal(StorageConditionFailure.ConditionNotMet, error.Condition);
    }

    [Fact]
    public async Task Listing_Follows_Markers_Across_Pages_And_Filters_By_Prefix()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        var expected = Enumerable.Range(0, 12).Select(i => $"runs/prod/{i:D3}.json").ToList();
        await Task.WhenAll(expected.Select(name => blobs.UploadAsync(name, BinaryData.FromString(name))));
        await blobs.UploadAsync("runs/staging/000.json", BinaryData.FromString("other"));

        BlobListPage first = await blobs.ListBlobsPageAsync("runs/prod/", marker: null, pageSize: 5);
        Assert.Equal(5, first.Items.Count);
        Assert.NotNull(first.NextMarker);

        List<BlobItem> all = await blobs.ListBlobsAsync("runs/prod/", pageSize: 5).ToListAsync();
        Assert.Equal(expected, all.Select(b => b.Name));
        Assert.All(all, b => Assert.NotEqual(default, b.ETag));
        Assert.All(all, b => Assert.Equal(b.Name.Length, b.ContentLength));
        Assert.Equal(13, (await blobs.ListBlobsAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task Missing_Container_Surfaces_A_Typed_Error()
    {
        var blobs = new StorageBlobClient(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("absent"));
        StorageRequestException error = await Assert.ThrowsAsync<StorageRequestException>(
            () => blobs.UploadAsync("a", BinaryData.FromString("x")));
        Assert.Equal(404, error.Status);
        Assert.Equal(StorageErrorCodes.ContainerNotFound, error.ErrorCode);
        Assert.Equal("Put blob", error.Operation);
    }

    [Fact]
    public async Task Second_Acquirer_Gets_Lease_Already_Present()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("lock", BinaryData.Empty);
        string first = await blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15));

        StorageConditionFailedException contention = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15)));

        Assert.Equal(StorageConditionFailure.LeaseAlreadyPresent, contention.Condition);
        Assert.Equal(409, contention.Status);
        Assert.Equal(BlobLeaseState.Leased, (await blobs.GetPropertiesAsync("lock"))!.LeaseState);
        await blobs.RenewLeaseAsync("lock", first);
    }

    [Fact]
    public async Task Concurrent_Acquirers_Produce_Exactly_One_Winner()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("lock", BinaryData.Empty);

        Task<string>[] attempts = Enumerable.Range(0, 4).Select(_ => blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(30))).ToArray();
        await Task.WhenAll(attempts.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(1, attempts.Count(t => t.IsCompletedSuccessfully));
        Assert.All(attempts.Where(t => t.IsFaulted), t =>
            Assert.Equal(StorageConditionFailure.LeaseAlreadyPresent, Assert.IsType<StorageConditionFailedException>(t.Exception!.InnerException).Condition));
    }

    [Fact]
    public async Task Release_Lets_Another_Acquirer_In()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("lock", BinaryData.Empty);
        string proposed = Guid.NewGuid().ToString();
        string first = await blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(60), proposed);
        Assert.Equal(proposed, first);

        await blobs.ReleaseLeaseAsync("lock", first);

        string second = await blobs.AcquireLeaseAsync("lock", StorageBlobClient.InfiniteLeaseDuration);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Break_Ends_A_Lease_Held_By_Someone_Else()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("lock", BinaryData.Empty);
        string held = await blobs.AcquireLeaseAsync("lock", StorageBlobClient.InfiniteLeaseDuration);

        TimeSpan remaining = await blobs.BreakLeaseAsync("lock", TimeSpan.Zero);

        Assert.Equal(TimeSpan.Zero, remaining);
        Assert.Equal(BlobLeaseState.Broken, (await blobs.GetPropertiesAsync("lock"))!.LeaseState);
        StorageConditionFailedException renew = await Assert.ThrowsAsync<StorageConditionFailedException>(() => blobs.RenewLeaseAsync("lock", held));
        Assert.Equal(StorageConditionFailure.LeaseBroken, renew.Condition);
        await blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Change_Gives_The_Lease_A_New_Id()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("lock", BinaryData.Empty);
        string original = await blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15));
        string proposed = Guid.NewGuid().ToString();

        string changed = await blobs.ChangeLeaseAsync("lock", original, proposed);

        Assert.Equal(proposed, changed);
        await blobs.RenewLeaseAsync("lock", changed);
        StorageConditionFailedException old = await Assert.ThrowsAsync<StorageConditionFailedException>(() => blobs.RenewLeaseAsync("lock", original));
        Assert.Equal(StorageConditionFailure.LeaseIdMismatch, old.Condition);
    }

    [Fact]
    public async Task Writes_To_A_Leased_Blob_Need_The_Lease_Id()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await blobs.UploadAsync("environments/prod/lock", BinaryData.FromString("v1"));
        string leaseId = await blobs.AcquireLeaseAsync("environments/prod/lock", TimeSpan.FromSeconds(15));

        StorageConditionFailedException missing = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.UploadAsync("environments/prod/lock", BinaryData.FromString("intruder")));
        Assert.Equal(StorageConditionFailure.LeaseIdMissing, missing.Condition);
        Assert.Equal(412, missing.Status);

        StorageConditionFailedException wrong = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.UploadAsync("environments/prod/lock", BinaryData.FromString("intruder"), conditions: BlobRequestConditions.WithLease(Guid.NewGuid().ToString())));
        Assert.Equal(StorageConditionFailure.LeaseIdMismatch, wrong.Condition);

        await blobs.UploadAsync("environments/prod/lock", BinaryData.FromString("v2"), conditions: BlobRequestConditions.WithLease(leaseId));
        BlobDownloadResult read = (await blobs.DownloadAsync("environments/prod/lock"))!;
        Assert.Equal("v2", read.Content.ToString());
        Assert.Equal(BlobLeaseState.Leased, read.Properties.LeaseState);
    }

    [Fact]
    public async Task Acquiring_A_Lease_On_A_Missing_Blob_Is_Not_Found()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        StorageRequestException error = await Assert.ThrowsAsync<StorageRequestException>(() => blobs.AcquireLeaseAsync("absent", TimeSpan.FromSeconds(15)));
        Assert.Equal(404, error.Status);
        Assert.Equal(StorageErrorCodes.BlobNotFound, error.ErrorCode);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(61)]
    [InlineData(0)]
    public async Task Lease_Durations_Outside_15_To_60_Seconds_Are_Refused(int seconds)
    {
        StorageBlobClient blobs = await NewContainerAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(seconds)));
    }
}
