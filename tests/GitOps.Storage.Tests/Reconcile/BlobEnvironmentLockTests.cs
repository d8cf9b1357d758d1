using Microsoft.Extensions.Time.Testing;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Blobs.Models;
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
        Assert.Equal(LeaseState.Leased, (await storage.Blobs.GetBlobClient("environments/platform/prod/lock").GetPropertiesAsync()).Value.LeaseState);

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

        await storage.Blobs.GetBlobClient("environments/platform/prod/lock").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        await StoreTestSupport.PollAsync(() => held.Lost.IsCancellationRequested, "the Lost token after the lease was broken");

        await using var next = await storage.Locks.TryAcquireAsync("platform/prod");
        Assert.NotNull(next);
        Assert.False(next.Lost.IsCancellationRequested);
    }

    [Fact]
    public void Infinite_Or_Out_Of_Range_Durations_Are_Refused()
    {
        var blobs = StorageClients.CreateContainerClient(StorageConnection.Parse(azurite.ConnectionString), "gitops");

        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobEnvironmentLock(blobs, GitOps.Storage.Blobs.BlobLease.InfiniteDuration));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobEnvironmentLock(blobs, TimeSpan.FromSeconds(90)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlobEnvironmentLock(blobs, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Held_Lease_Is_Renewed_On_The_Clock_And_Survives_Its_Duration()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var result = await GitOps.Storage.Blobs.BlobLease.TryAcquireAsync(
            storage.Blobs,
            "environments/platform/prod/lock",
            new BlobLeaseOptions { Duration = TimeSpan.FromSeconds(15), RenewInterval = TimeSpan.FromSeconds(5), TimeProvider = clock });
        Assert.True(result.Acquired);
        await using var lease = result.Lease;

        // The loop registers its timer on its own thread, so the clock moves in small steps until each renewal lands.
        for (var i = 1; i <= 3; i++)
        {
            var wanted = i;
            await StoreTestSupport.PollAsync(
                () =>
                {
                    if (lease.RenewalCount < wanted)
                    {
                        clock.Advance(TimeSpan.FromSeconds(1));
                    }

                    return lease.RenewalCount >= wanted;
                },
                $"renewal {i}");
        }

        // Renewed with the service each time (a stale renewal would have failed and fired LeaseLost).
        Assert.False(lease.IsLost);
        var contender = await storage.Locks.TryAcquireAsync("platform/prod");
        Assert.Null(contender);
        Assert.Equal(LeaseState.Leased, (await storage.Blobs.GetBlobClient("environments/platform/prod/lock").GetPropertiesAsync()).Value.LeaseState);
    }
}
