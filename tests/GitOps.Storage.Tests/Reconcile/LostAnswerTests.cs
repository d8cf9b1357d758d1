using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

/// <summary>
/// An ETag-guarded write that landed but whose answer was lost: the SDK sends it again, and the retry's condition fails
/// against the writer's own blob. That must not read as another writer (a run would stop, thinking its lease was taken
/// over); a real other writer still must. And an answer that is not about the version (a full store) is a storage
/// failure, not another writer.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LostAnswerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_Checkpoint_Write_Whose_Answer_Was_Lost_Is_Its_Own_And_The_Next_Write_Builds_On_It()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var losing = new LoseAnswerPolicy("checkpoint.json.gz");
        var store = new BlobRunCheckpointStore(Container(storage, losing));
        var first = await store.SaveAsync(Checkpoint(1), etag: null);

        losing.LoseNext = true;
        var second = await store.SaveAsync(Checkpoint(2), first);
        losing.LoseNext = true;
        var third = await store.SaveAsync(Checkpoint(3), second);

        Assert.Equal(2, losing.Lost);
        var read = await storage.Checkpoints.GetAsync("platform/prod");
        Assert.Equal(third, read!.ETag);
        Assert.Equal(3, read.Checkpoint!.Ticket);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(Checkpoint(4), second));
    }

    [Fact]
    public async Task A_State_Write_Whose_Answer_Was_Lost_Is_Its_Own_But_Another_Writers_Version_Still_Conflicts()
    {
        var storage = await StoreTestSupport.NewStorageAsync(azurite);
        var losing = new LoseAnswerPolicy("state.json");
        var store = new BlobEnvironmentStateStore(Container(storage, losing));

        losing.LoseNext = true;
        var created = await store.SaveAsync(StoreTestSupport.State("platform", "prod"), etag: null);
        var (_, etag) = (await storage.States.GetAsync("platform/prod"))!.Value;
        Assert.Equal(created, etag);

        // Another writer moves the state on; a write based on the old version conflicts, answer lost or not.
        var theirs = await storage.States.SaveAsync(StoreTestSupport.State("platform", "prod", Conditions.DriftDetected), created);
        losing.LoseNext = true;
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(StoreTestSupport.State("platform", "prod"), created));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(StoreTestSupport.State("platform", "prod"), etag: null));
        Assert.Equal(theirs, (await storage.States.GetAsync("platform/prod"))!.Value.ETag);
    }

    [Theory]
    [InlineData(412, "ConditionNotMet", "\"0x1\"", true)]
    [InlineData(409, "BlobAlreadyExists", null, true)]
    [InlineData(404, "BlobNotFound", "\"0x1\"", true)]
    [InlineData(409, "MemoryExtentStoreAtSizeLimit", "\"0x1\"", false)]
    [InlineData(409, "MemoryExtentStoreAtSizeLimit", null, false)]
    [InlineData(409, "LeaseIdMissing", "\"0x1\"", false)]
    [InlineData(404, "ContainerNotFound", null, false)]
    [InlineData(503, "ServerBusy", "\"0x1\"", false)]
    public void Only_An_Answer_About_The_Version_Reads_As_Another_Writer(int status, string code, string? etag, bool conflict)
    {
        // Found by the 50,000-resource benchmark: Azurite's full in-memory store answers 409, which had stopped the run
        // as if its lease was taken over instead of saying that storage failed.
        Assert.Equal(conflict, GitOps.Storage.Blobs.ConditionalUpload.IsConditionFailure(new Azure.RequestFailedException(status, "answer", code, null), etag));
    }

    private BlobContainerClient Container(GitOpsStorage storage, LoseAnswerPolicy policy)
    {
        var options = new BlobClientOptions { Transport = new HttpClientTransport(azurite.CreateTrustingHandler()) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        return new BlobContainerClient(azurite.ConnectionString, storage.Blobs.Name, options);
    }

    private static RunCheckpoint Checkpoint(int ticket) => BlobRunCheckpointStoreTests.Checkpoint(ticket);

    // Lets one PUT of the named blob reach Azurite, then throws as a reset connection would: the SDK retries it.
    private sealed class LoseAnswerPolicy(string blobName) : HttpPipelinePolicy
    {
        private int _lost;

        public volatile bool LoseNext;

        public int Lost => Volatile.Read(ref _lost);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Lose(message);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            Lose(message);
        }

        private void Lose(HttpMessage message)
        {
            if (LoseNext && message.Request.Method == RequestMethod.Put && message.Request.Uri.Path.EndsWith(blobName, StringComparison.Ordinal) && message.Response.Status < 300)
            {
                LoseNext = false;
                Interlocked.Increment(ref _lost);
                throw new IOException("The connection was reset after the write (test).");
            }
        }
    }
}
