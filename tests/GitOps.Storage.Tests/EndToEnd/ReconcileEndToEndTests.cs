
using GitOps.Arm;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Git.Source;
using GitOps.Storage.Blobs;
using GitOps.Storage.Queues;
using GitOps.Storage.Reconcile;
using GitOps.Storage.Tests.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.EndToEnd;

/// <summary>
/// The reconcile loop on real parts: a git repository made here (read through the git CLI adapter), the ARM simulator
/// over HTTPS through the real Azure.Core pipeline, and the Azure Storage stores on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReconcileEndToEndTests : IClassFixture<ArmSimulatorFixture>, IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly ArmSimulatorFixture _arm;
    private readonly GitRepositoryBuilder _origin = GitRepositoryBuilder.Create();
    private readonly string _cacheRoot = Path.Combine(Path.GetTempPath(), "gitops-e2e-cache-" + Guid.NewGuid().ToString("N")[..12]);

    // Each test gets its own subscription, so the shared simulator's request log can be filtered per test.
    private readonly string _subscription = Guid.NewGuid().ToString();

    public ReconcileEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
    {
        _azurite = azurite;
        _arm = arm;
    }

    public void Dispose()
    {
        _origin.Dispose();
        GitRepositoryBuilder.DeleteDirectory(_cacheRoot);
    }

    private string StorageAccountId => $"/subscriptions/{_subscription}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01";

    private string CommitConfig(string tls, string message)
    {
        _origin
            .WriteFile("gitops.yaml", $"""
                environments:
                  - name: prod
                    path: envs/prod
                    branch: main
                    subscriptionId: {_subscription}
                """)
            .WriteFile("envs/prod/app.yaml", $"""
                type: Microsoft.Resources/resourceGroups@2024-03-01
                name: rg-app
                location: westeurope
                ---
                type: Microsoft.Storage/storageAccounts@2023-05-01
                name: stapp01
                resourceGroup: rg-app
                location: westeurope
                sku: {"{"} name: Standard_LRS {"}"}
                kind: StorageV2
                properties:
                  minimumTlsVersion: {tls}
                """);
        return _origin.Commit(message, "Ada Lovelace", "ada@example.com");
    }

    private async Task<(Reconciler Reconciler, GitOpsStorage Storage)> CreateAsync()
    {
        var storage = await StoreTestSupport.NewStorageAsync(_azurite);
        var git = new GitSourceClient(new GitSourceOptions
        {
            CacheRoot = _cacheRoot,
            NetworkTimeout = TimeSpan.FromSeconds(30),
            LockTimeout = TimeSpan.FromSeconds(30),
        });
        var source = new GitConfigSource(git, new RepositoryRegistry().Add("platform", new GitRepositoryOptions { Url = _origin.Url }));
        var armOptions = new ArmResourceClientOptions
        {
            Cloud = ArmCloud.Custom(_arm.Endpoint),
            CaCertificatePem = _arm.CertificatePem,
            PollInterval = TimeSpan.FromMilliseconds(20),
            OperationTimeout = TimeSpan.FromSeconds(30),
        };
        var arm = new ArmResourceClient(new StaticTokenCredential(ArmSimulatorFixture.Token), armOptions);
        var reconciler = new Reconciler(
            source, arm, storage.Runs, storage.States, storage.Locks, storage.Jobs, new ReconcilerOptions { LeaseBusyDelay = TimeSpan.FromSeconds(1) });
        return (reconciler, storage);
    }

    private static ReconcileJob Job(string? commit) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = commit is null ? RunTrigger.Manual : RunTrigger.Push,
        EnqueuedAt = DateTimeOffset.UtcNow,
    };

    private List<string> Writes() =>
        _arm.State.Requests
            .Where(r => r.SubscriptionId == _subscription && r.Method is "PUT" or "PATCH" or "DELETE")
            .Select(r => $"{r.Method} {r.Path}")
            .ToList();

    [Fact]
    public async Task Push_Is_Applied_Recorded_And_A_Redelivery_Writes_Nothing_To_Arm()
    {
        var sha = CommitConfig("TLS1_2", "Add the app's storage");
        var (reconciler, storage) = await CreateAsync();

        var first = await reconciler.ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Complete, first.Disposition);
        Assert.Equal(RunOutcome.Applied, first.Run!.Outcome);
        Assert.Equal(2, Writes().Count);
        Assert.Equal("TLS1_2", _arm.State.GetResource(StorageAccountId)!["properties"]!["minimumTlsVersion"]!.GetValue<string>());

        var stored = Assert.Single(await storage.Runs.ListAsync("platform/prod", 10));
        Assert.Equal(first.Run.RunId, stored.RunId);
        Assert.Equal(RunOutcome.Applied, stored.Outcome);
        Assert.Equal(sha, stored.Commit!.Sha);
        Assert.Equal("Ada Lovelace", stored.Commit.Author);
        Assert.Equal(2, stored.Results.Count);
        Assert.NotNull(await storage.Blobs.GetPropertiesAsync($"runs/platform/prod/{stored.RunId}.json"));

        var (state, _) = (await storage.States.GetAsync("platform/prod"))!.Value;
        Assert.Equal(sha, state.LastApplied!.Sha);
        Assert.Equal(2, state.Inventory.Entries.Count);
        Assert.Contains(state.Inventory.Entries, e => string.Equals(e.Id, StorageAccountId, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(state.Conditions, c => c.Type == Conditions.Ready && c.Status == ConditionStatus.True);

        var writesBefore = Writes();
        var second = await reconciler.ReconcileAsync(Job(sha), attempt: 2);

        Assert.Equal(RunOutcome.NoChanges, second.Run!.Outcome);
        Assert.Equal(writesBefore, Writes());
        Assert.Equal([second.Run.RunId, first.Run.RunId], (await storage.Runs.ListAsync(null, 10)).Select(r => r.RunId));
        Assert.Equal(second.Run.RunId, (await storage.States.GetAsync("platform/prod"))!.Value.State.LastRunId);
        Assert.Equal(0, await storage.Queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Concurrent_Jobs_For_One_Environment_Run_Once_And_The_Other_Is_Deferred_To_The_Queue()
    {
        CommitConfig("TLS1_2", "Add the app's storage");
        var (reconciler, storage) = await CreateAsync();
        var jobs = new[] { Job(null), Job(null) };

        var results = await Task.WhenAll(jobs.Select(job => reconciler.ReconcileAsync(job)));

        var ran = Assert.Single(results, r => r.Disposition == JobDisposition.Complete);
        var deferred = Assert.Single(results, r => r.Disposition == JobDisposition.Deferred);
        Assert.Equal(RunOutcome.Applied, ran.Run!.Outcome);
        Assert.Null(deferred.Run);
        Assert.Single(await storage.Runs.ListAsync("platform/prod", 10));

        Assert.Equal(2, Writes().Count);
        Assert.Equal(BlobLeaseState.Available, (await storage.Blobs.GetPropertiesAsync("environments/platform/prod/lock"))!.LeaseState);

        // The deferred job comes back on the queue after LeaseBusyDelay, as the Functions trigger would see it.
        var deferredJob = jobs[Array.IndexOf(results, deferred)];
        Assert.Equal(1, await storage.Queue.GetApproximateMessageCountAsync());
        var message = await ReceiveOneAsync(storage);
        Assert.Equal(deferredJob, ReconcileJobJson.Parse(message.RawText));
    }

    private static async Task<QueueMessage> ReceiveOneAsync(GitOpsStorage storage)
    {
        using var deadline = new CancellationTokenSource(StoreTestSupport.Deadline);
        while (true)
        {
            if ((await storage.Queue.ReceiveMessagesAsync(1, cancellationToken: deadline.Token)).SingleOrDefault() is { } message)
            {
                return message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    [Fact]
    public async Task New_Commit_Changing_A_Property_Is_Applied_With_One_Put()
    {
        var first = CommitConfig("TLS1_0", "Add the app's storage");
        var (reconciler, storage) = await CreateAsync();
        Assert.Equal(RunOutcome.Applied, (await reconciler.ReconcileAsync(Job(first))).Run!.Outcome);
        var writesBefore = Writes().Count;

        var second = CommitConfig("TLS1_2", "Raise the minimum TLS version");
        var result = await reconciler.ReconcileAsync(Job(second));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        var newWrites = Writes().Skip(writesBefore).ToList();
        Assert.Equal($"PUT {StorageAccountId}", Assert.Single(newWrites), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("TLS1_2", _arm.State.GetResource(StorageAccountId)!["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        var (state, _) = (await storage.States.GetAsync("platform/prod"))!.Value;
        Assert.Equal(second, state.LastApplied!.Sha);
        Assert.Equal("Raise the minimum TLS version", state.LastApplied.Subject);
        Assert.Equal(1, result.Run.Plan!.Summary.Update);
    }
}
