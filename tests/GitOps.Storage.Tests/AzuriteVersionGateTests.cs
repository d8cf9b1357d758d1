using GitOps.Core.Runs;
using GitOps.DevEnvironment;
using GitOps.Storage.Reconcile;
using GitOps.Storage.Tests.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests;

/// <summary>
/// The stores against an Azurite that checks the service version (no <c>--skipApiVersionCheck</c>) and keeps its
/// data on disk: the clients' pinned version is one Azurite knows, for queues, blobs and the ledger table alike.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AzuriteVersionGateTests
{
    [Fact]
    public async Task Every_Store_Works_Against_An_Azurite_That_Refuses_Unknown_Service_Versions()
    {
        var executable = await AzuriteInstaller.EnsureInstalledAsync(RepositoryRoot.Find(), TimeSpan.FromMinutes(5));
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions(executable) { PersistToDisk = true, SkipApiVersionCheck = false });
        var storage = await GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), StoreTestSupport.NewOptions());
        var run = StoreTestSupport.Run("app", "dev", DateTimeOffset.UtcNow);

        await storage.Runs.SaveAsync(run);
        await storage.States.SaveAsync(EnvironmentState.New("app", "dev"), etag: null);
        await storage.Jobs.EnqueueAsync(ReconcileJob.Create("app", "dev", RunTrigger.Manual, commit: null, DateTimeOffset.UtcNow, "test"));

        Assert.Equal(run.RunId, (await storage.Runs.GetAsync(run.RunId))?.RunId);
        Assert.Equal(run.RunId, Assert.Single((await storage.Ledger.ListAsync(new RunQuery { EnvironmentKey = "app/dev", Top = 10 })).Runs).RunId);
        Assert.NotNull(await storage.States.GetAsync("app/dev"));
        Assert.Single(await storage.Queue.PeekMessagesAsync(32));
        Assert.Contains(Directory.EnumerateFileSystemEntries(azurite.WorkDirectory), _ => true);
    }
}
