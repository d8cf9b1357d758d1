using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GitOpsStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Create_Makes_The_Container_Queue_And_Poison_Queue_Once()
    {
        var options = new GitOpsStorageOptions { ContainerName = AzuriteFixture.UniqueName("gitops"), QueueName = AzuriteFixture.UniqueName("reconcile") };
        var connection = StorageConnection.Parse(azurite.ConnectionString);

        var storage = await GitOpsStorage.CreateAsync(connection, options);
        var again = await GitOpsStorage.CreateAsync(connection, options);

        Assert.Null(await storage.Blobs.CreateIfNotExistsAsync());
        Assert.False(await storage.Queue.CreateIfNotExistsAsync());
        Assert.False(await storage.Queue.GetPoisonQueueClient().CreateIfNotExistsAsync());
        Assert.Equal(options.QueueName + "-poison", again.Queue.PoisonQueueName);

        // A custom reconcile queue gets a drift queue that follows it, created with its poison queue.
        Assert.Equal(options.QueueName + "-drift", storage.DriftQueue.Name);
        Assert.False(await storage.DriftQueue.CreateIfNotExistsAsync());
        Assert.False(await storage.DriftQueue.GetPoisonQueueClient().CreateIfNotExistsAsync());
    }

    [Fact]
    public void Defaults_Are_The_Documented_Names()
    {
        var storage = new GitOpsStorage(StorageConnection.Parse(azurite.ConnectionString));

        Assert.Equal("gitops", storage.Blobs.Name);
        Assert.Equal("reconcile", storage.Queue.Name);
        Assert.Equal("reconcile-poison", storage.Queue.PoisonQueueName);
        Assert.Equal("reconcile-drift", storage.DriftQueue.Name);
        Assert.Equal("reconcile-drift-poison", storage.DriftQueue.PoisonQueueName);
        Assert.Equal("drift-elsewhere", new GitOpsStorage(StorageConnection.Parse(azurite.ConnectionString), new GitOpsStorageOptions { DriftQueueName = "drift-elsewhere" }).DriftQueue.Name);
    }

    [Fact]
    public void Invalid_Container_Name_Is_Refused_With_Its_Name()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new GitOpsStorage(StorageConnection.Parse(azurite.ConnectionString), new GitOpsStorageOptions { ContainerName = "GitOps_State" }));

        Assert.Contains("GitOps_State", error.Message);
    }
}
