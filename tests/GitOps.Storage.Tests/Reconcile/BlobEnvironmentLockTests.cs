using GitOps.Storage.Blobs;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BlobEnvironmentLockTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Second_Acquirer_Gets_Null_Until_The_First_Releases()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);

        var first = await storage.Locks.TryAcquireAsync("platform/prod");
        var second = await storage.Locks.TryAcquireAsync("platform/prod");

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(BlobLeaseState.Leased, (await storage.Blobs.GetPropertiesAsync("environments/platform/prod/lock"))!.LeaseState);

        await first.DisposeAsync();
        var third = await storage.Locks.TryAcquireAsync("platform/prod");

        Assert.NotNull(third);
        await third.DisposeAsync();
    }

    [Fact]
    public async Task Leases_Are_Per_Environment_And_Last_Sixty_Seconds()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);

        await using var prod = await storage.Locks.TryAcquireAsync("platform/prod");
        await using var staging = await storage.Locks.TryAcquireAsync("platform/staging");

        Assert.NotNull(prod);
        Assert.NotNull(staging);
        Assert.Equal(TimeSpan.FromSeconds(60), Assert.IsType<BlobEnvironmentLease>(prod).Lease.Duration);
        Assert.False(prod.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task Broken_Lease_Fires_Lost_And_Lets_Another_Worker_In()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite, renewInterval: TimeSpan.FromMilliseconds(200));
        await using var held = await storage.Locks.TryAcquireAsync("platform/prod");
        Assert.NotNull(held);

        await storage.Blobs.BreakLeaseAsync("environments/platform/prod/lock", TimeSpan.Zero);
        await StoreTestSupport.PollAsync(() => held.Lost.IsCancellationRequested, "the Lost token after the lease was broken");

        await using var next = await storage.Locks.TryAcquireAsync("platform/prod");
        Assert.NotNull(next);
        Assert.False(next.Lost.IsCancellationRequested);
    }

    [Fact]
    public void Infinite_Or_Out_Of_Range_Durations_Are_Refused()
    {
        var blobs = new StorageBlobClient(StorageConnection.Parse(azurite.ConnectionString), "gitops");

        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobEnvironmentLock(blobs, StorageBlobClient.InfiniteLeaseDuration));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobEnvironmentLock(blobs, TimeSpan.FromSeconds(90)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobEnvironmentLock(blobs, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
    }
}
