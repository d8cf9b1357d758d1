using GitOps.Storage.Blobs;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BlobLeaseTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(10);

    private async Task<StorageBlobClient> NewContainerAsync()
    {
        var blobs = new StorageBlobClient(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("lease"));
        await blobs.CreateContainerIfNotExistsAsync();
        return blobs;
    }

    [Fact]
    public async Task Acquire_Creates_The_Lock_Blob_And_A_Second_Acquirer_Sees_Contention()
    {
        StorageBlobClient blobs = await NewContainerAsync();

        BlobLeaseAcquireResult first = await BlobLease.TryAcquireAsync(blobs, "environments/prod/lock");
        BlobLeaseAcquireResult second = await BlobLease.TryAcquireAsync(blobs, "environments/prod/lock");

        Assert.True(first.Acquired);
        await using BlobLease lease = first.Lease;
        Assert.False(second.Acquired);
        Assert.Equal(StorageConditionFailure.LeaseAlreadyPresent, second.Contention);
        Assert.Equal(BlobLeaseState.Leased, (await blobs.GetPropertiesAsync("environments/prod/lock"))!.LeaseState);
    }

    [Fact]
    public async Task Concurrent_Acquirers_Of_A_Missing_Lock_Blob_Produce_One_Holder()
    {
        StorageBlobClient blobs = await NewContainerAsync();

        BlobLeaseAcquireResult[] results = await Task.WhenAll(
            Enumerable.Range(0, 5).Select(_ => BlobLease.TryAcquireAsync(blobs, "environments/race/lock")));

        BlobLeaseAcquireResult winner = Assert.Single(results, r => r.Acquired);
        await using BlobLease lease = winner.Lease!;
        Assert.All(results.Where(r => !r.Acquired), r => Assert.Equal(StorageConditionFailure.LeaseAlreadyPresent, r.Contention));
    }

    [Fact]
    public async Task Background_Renewal_Keeps_The_Lease_Alive()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobLeaseAcquireResult result = await BlobLease.TryAcquireAsync(
            blobs, "lock", new BlobLeaseOptions { Duration = TimeSpan.FromSeconds(15), RenewInterval = TimeSpan.FromMilliseconds(100) });
        await using BlobLease lease = result.Lease!;

        await PollAsync(() => lease.RenewalCount >= 3, "three background renewals");

        Assert.False(lease.IsLost);
        Assert.False((await BlobLease.TryAcquireAsync(blobs, "lock")).Acquired);
    }

    [Fact]
    public async Task Dispose_Releases_So_The_Next_Acquirer_Gets_It_At_Once()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobLeaseAcquireResult first = await BlobLease.TryAcquireAsync(blobs, "lock");
        string firstId = first.Lease!.LeaseId;

        await first.Lease.DisposeAsync();

        Assert.Equal(BlobLeaseState.Available, (await blobs.GetPropertiesAsync("lock"))!.LeaseState);
        BlobLeaseAcquireResult second = await BlobLease.TryAcquireAsync(blobs, "lock");
        Assert.True(second.Acquired);
        await using BlobLease lease = second.Lease;
        Assert.NotEqual(firstId, lease.LeaseId);
    }

    [Fact]
    public async Task Break_Signals_Lease_Lost_To_The_Holder_At_Its_Next_Renewal()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobLeaseAcquireResult result = await BlobLease.TryAcquireAsync(
            blobs, "lock", new BlobLeaseOptions { Duration = TimeSpan.FromSeconds(15), RenewInterval = TimeSpan.FromMilliseconds(100) });
        await using BlobLease lease = result.Lease!;
        var lost = new TaskCompletionSource();
        using CancellationTokenRegistration registration = lease.LeaseLost.Register(() => lost.TrySetResult());

        await BlobLease.BreakAsync(blobs, "lock", TimeSpan.Zero);

        await lost.Task.WaitAsync(s_deadline);
        Assert.True(lease.IsLost);
        StorageConditionFailedException reason = Assert.IsType<StorageConditionFailedException>(lease.LossReason);
        Assert.Equal(StorageConditionFailure.LeaseBroken, reason.Condition);
        BlobLeaseAcquireResult next = await BlobLease.TryAcquireAsync(blobs, "lock");
        Assert.True(next.Acquired);
        await next.Lease.DisposeAsync();
    }

    [Fact]
    public async Task Writes_Under_The_Lease_Pass_Its_Id()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobLeaseAcquireResult result = await BlobLease.TryAcquireAsync(blobs, "environments/prod/state.json");
        await using BlobLease lease = result.Lease!;

        await blobs.UploadAsync("environments/prod/state.json", BinaryData.FromString("{}"), conditions: BlobRequestConditions.WithLease(lease.LeaseId));
        StorageConditionFailedException intruder = await Assert.ThrowsAsync<StorageConditionFailedException>(
            () => blobs.UploadAsync("environments/prod/state.json", BinaryData.FromString("{\"x\":1}")));

        Assert.Equal(StorageConditionFailure.LeaseIdMissing, intruder.Condition);
        Assert.Equal("{}", (await blobs.DownloadAsync("environments/prod/state.json"))!.Content.ToString());
    }

    [Fact]
    public async Task Manual_Renew_And_Release_Work_And_Release_Is_Idempotent()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobLeaseAcquireResult result = await BlobLease.TryAcquireAsync(
            blobs, "lock", new BlobLeaseOptions { Duration = StorageBlobClient.InfiniteLeaseDuration, ProposedLeaseId = "6b7f8e4c-0000-4000-8000-000000000001" });
        BlobLease lease = result.Lease!;
        Assert.Equal("6b7f8e4c-0000-4000-8000-000000000001", lease.LeaseId);

        await lease.RenewAsync();
        Assert.Equal(1, lease.RenewalCount);
        await lease.ReleaseAsync();
        await lease.ReleaseAsync();
        await lease.DisposeAsync();

        Assert.Equal(BlobLeaseState.Available, (await blobs.GetPropertiesAsync("lock"))!.LeaseState);
    }

    [Fact]
    public async Task Acquiring_Again_With_The_Held_Id_Succeeds_So_Retries_Are_Safe()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        BlobLeaseAcquireResult result = await BlobLease.TryAcquireAsync(blobs, "lock");
        await using BlobLease lease = result.Lease!;
        Assert.True(Guid.TryParse(lease.LeaseId, out _));

        string again = await blobs.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(30), lease.LeaseId);

        Assert.Equal(lease.LeaseId, again);
        Assert.False((await BlobLease.TryAcquireAsync(blobs, "lock")).Acquired);
    }

    [Fact]
    public async Task Missing_Lock_Blob_Is_Not_Created_When_Disabled()
    {
        StorageBlobClient blobs = await NewContainerAsync();
        StorageRequestException error = await Assert.ThrowsAsync<StorageRequestException>(
            () => BlobLease.TryAcquireAsync(blobs, "lock", new BlobLeaseOptions { CreateBlobIfMissing = false }));
        Assert.Equal(404, error.Status);
        Assert.Null(await blobs.GetPropertiesAsync("lock"));
    }

    private static async Task PollAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + s_deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
