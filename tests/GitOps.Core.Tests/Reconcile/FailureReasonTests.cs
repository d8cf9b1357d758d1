using System.Reflection;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;
using Moq;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Marks the test that drives a run down the failure path that sets <see cref="Reason"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FailurePathAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Each failure path of a run records its own condition reason where it fails (issue 11 item 5): the Ready reason
/// is the run's, never guessed from what the record lacks (a lost lease used to read as "source fetch failed").
/// </summary>
public sealed class FailureReasonTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";
    private const string StorageId = $"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01";
    private const string SecretUrl = "https://kv.vault.azure.net/secrets/key";

    private readonly FakeConfigSource _source = new();
    private readonly FakeArmClient _arm = new();
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryStateStore _states = new();
    private readonly InMemoryLock _locks = new();
    private readonly InMemoryQueue _queue = new();

    private const string Config = $"""
        environments:
          - name: prod
            path: envs/prod
            branch: main
            subscriptionId: {Subscription}
        """;

    private const string Storage = """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg-app
        location: westeurope
        sku: { name: Standard_LRS }
        kind: StorageV2
        """;

    private string Commit(string resources = Storage, string? policy = null, string branch = "main") =>
        _source.Commit(branch, files =>
        {
            files.Add("gitops.yaml", Config).Add("envs/prod/app.yaml", resources);
            if (policy is not null)
            {
                files.Add("gitops.policy.yaml", policy);
            }
        });

    private static ReconcileJob Job(string? commit) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = commit is null ? RunTrigger.Drift : RunTrigger.Push,
        EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z"),
    };

    private Reconciler Reconciler(IConfigSource? source = null, IEnvironmentLock? locks = null, ISecretResolver? secrets = null) =>
        new(source ?? _source, _arm, _runs, _states, locks ?? _locks, _queue, secrets: secrets);

    // The reason is on the final record and is the Ready condition's reason of the state written after it.
    private async Task AssertReasonAsync(ReconcileResult result, string reason)
    {
        var run = result.Run!;
        Assert.Equal(reason, run.Reason);
        Assert.Equal(reason, Assert.Single(_runs.Saved, r => r.RunId == run.RunId).Reason);
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        var ready = Assert.Single(state.Conditions, c => c.Type == Conditions.Ready);
        Assert.Equal(ConditionStatus.False, ready.Status);
        Assert.Equal(reason, ready.Reason);
    }

    [Fact]
    [FailurePath(Conditions.SourceFetchFailed)]
    public async Task A_Failed_Fetch_Records_SourceFetchFailed()
    {
        var sha = Commit();
        _source.FailNextRead = new ConfigSourceException("fetch from https://git.example/repo timed out", transient: true);

        await AssertReasonAsync(await Reconciler().ReconcileAsync(Job(sha)), Conditions.SourceFetchFailed);
    }

    [Fact]
    [FailurePath(Conditions.ValidationFailed)]
    public async Task Invalid_Manifests_Record_ValidationFailed()
    {
        var sha = Commit(Storage + "\nunknownField: 1\n");

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.Invalid, result.Run!.Outcome);
        await AssertReasonAsync(result, Conditions.ValidationFailed);
    }

    [Fact]
    [FailurePath(Conditions.PolicyDenied)]
    public async Task A_Deny_Rule_Records_PolicyDenied()
    {
        var sha = Commit(policy: """
            rules:
              - name: allowed-locations
                allowedLocations: [ northeurope ]
            """);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.PolicyDenied, result.Run!.Outcome);
        await AssertReasonAsync(result, Conditions.PolicyDenied);
    }

    [Fact]
    [FailurePath(Conditions.CommitRefused)]
    public async Task A_Commit_Off_The_Branch_Records_CommitRefused()
    {
        Commit();
        var feature = Commit(branch: "feature");

        var result = await Reconciler().ReconcileAsync(Job(feature));

        Assert.Equal(RunOutcome.Refused, result.Run!.Outcome);
        await AssertReasonAsync(result, Conditions.CommitRefused);
    }

    [Fact]
    [FailurePath(Conditions.SecretResolutionFailed)]
    public async Task An_Unreadable_Secret_Records_SecretResolutionFailed()
    {
        var sha = Commit($"""
            type: Microsoft.Sql/servers@2023-08-01
            name: sql-app
            resourceGroup: rg-app
            location: westeurope
            properties:
              administratorLogin: sqladmin
              administratorLoginPassword: ${"{{"} keyvault('{SecretUrl}') {"}}"}
            """);
        var secrets = new Mock<ISecretResolver>();
        secrets.Setup(s => s.ResolveAsync(SecretUrl, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SecretResolutionException(SecretUrl, "Key Vault is unavailable.", true));

        var result = await Reconciler(secrets: secrets.Object).ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.Failed, result.Run!.Outcome);
        await AssertReasonAsync(result, Conditions.SecretResolutionFailed);
    }

    [Fact]
    [FailurePath(Conditions.ObservationFailed)]
    public async Task An_Unreadable_Live_Resource_Records_ObservationFailed()
    {
        var sha = Commit();
        _arm.Failures[StorageId] = new ArmRequestException(503, "ServiceUnavailable", "Try later.", ArmErrorKind.Transient, "corr-1");

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.NotNull(result.Run!.Commit);
        await AssertReasonAsync(result, Conditions.ObservationFailed);
    }

    [Fact]
    [FailurePath(Conditions.ReconciliationFailed)]
    public async Task A_Failed_Write_Records_ReconciliationFailed()
    {
        var sha = Commit();
        _arm.WriteFailures[StorageId] = new ArmRequestException(400, "InvalidParameter", "Bad sku.", ArmErrorKind.Fatal, "corr-2");

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.NotNull(result.Run!.Plan);
        await AssertReasonAsync(result, Conditions.ReconciliationFailed);
    }

    [Fact]
    [FailurePath(Conditions.LeaseLost)]
    public async Task A_Lease_Lost_Before_The_Commit_Is_Resolved_Records_LeaseLost_Not_A_Fetch_Failure()
    {
        var sha = Commit();

        var result = await Reconciler(new CancellableSource(_source), new LostLock()).ReconcileAsync(Job(sha));

        Assert.Null(result.Run!.Plan);
        Assert.True(result.Run.Transient);
        await AssertReasonAsync(result, Conditions.LeaseLost);
    }

    [Fact]
    [FailurePath(Conditions.WorkerShutdown)]
    public async Task A_Shutdown_Before_The_Commit_Is_Resolved_Records_WorkerShutdown_Not_A_Fetch_Failure()
    {
        var sha = Commit();
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();

        var result = await Reconciler(new CancellableSource(_source)).ReconcileAsync(Job(sha), cancellationToken: shutdown.Token);

        Assert.Null(result.Run!.Plan);
        Assert.True(result.Run.Transient);
        await AssertReasonAsync(result, Conditions.WorkerShutdown);
    }

    [Fact]
    [FailurePath(Conditions.UnexpectedError)]
    public async Task An_Unclassified_Exception_Records_UnexpectedError()
    {
        var sha = Commit();
        _source.FailNextRead = new InvalidOperationException("a bug");

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.True(result.Run!.Transient);
        await AssertReasonAsync(result, Conditions.UnexpectedError);
    }

    [Fact]
    [FailurePath(Conditions.RunInterrupted)]
    public async Task A_Run_Left_Running_By_A_Dead_Worker_Is_Recorded_With_RunInterrupted()
    {
        var sha = Commit();
        var at = DateTimeOffset.Parse("2026-11-01T09:00:00Z");
        await _states.SaveAsync(EnvironmentState.New("platform", "prod") with { ActiveRun = new ActiveRun("run-died", "job-died", at) }, null);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        var died = Assert.Single(_runs.Saved, r => r.RunId == "run-died");
        Assert.Equal(RunOutcome.Interrupted, died.Outcome);
        Assert.Equal(Conditions.RunInterrupted, died.Reason);
    }

    [Fact]
    [FailurePath(Conditions.HealthCheckFailed)]
    public async Task A_Resource_That_Turned_Failed_Between_Runs_Records_HealthCheckFailed()
    {
        var sha = Commit();
        await Reconciler().ReconcileAsync(Job(sha));
        _arm.Provider = (_, body) => (body["properties"] ??= new System.Text.Json.Nodes.JsonObject()).AsObject()["provisioningState"] = "Failed";

        var result = await Reconciler().ReconcileAsync(Job(null));

        Assert.Equal(RunOutcome.Unhealthy, result.Run!.Outcome);
        Assert.Contains(result.Run.Health!, h => h.Id == StorageId && h.Detail == "provisioningState Failed");
        await AssertReasonAsync(result, Conditions.HealthCheckFailed);
    }

    // Set outside the reconciler: the poison function's record (tests/GitOps.Hosting.Tests/QueueListenerTests.cs).
    private static readonly string[] SetOutsideCore = [Conditions.JobPoisoned];

    [Fact]
    public void Every_Failure_Reason_Has_A_Test_Of_The_Path_That_Sets_It()
    {
        var tested = typeof(FailureReasonTests).GetMethods()
            .Select(m => m.GetCustomAttribute<FailurePathAttribute>()?.Reason)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(
            Conditions.FailureReasons.Except(SetOutsideCore).Order(StringComparer.Ordinal),
            tested.Order(StringComparer.Ordinal));
    }

    /// <summary>A source that observes cancellation on every call, as the git client does.</summary>
    private sealed class CancellableSource(IConfigSource inner) : IConfigSource
    {
        public Task<CommitInfo> ResolveAsync(string repository, string? branch, string? commit, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.ResolveAsync(repository, branch, commit, cancellationToken);
        }

        public Task<IFileTree> ReadAsync(string repository, string commit, string? folder, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.ReadAsync(repository, commit, folder, cancellationToken);
        }

        public Task<bool> IsAncestorAsync(string repository, string ancestor, string descendant, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return inner.IsAncestorAsync(repository, ancestor, descendant, cancellationToken);
        }

        public string GetDefaultBranch(string repository) => inner.GetDefaultBranch(repository);
    }

    /// <summary>A lock whose lease is already lost when the run starts (renewal failed at once).</summary>
    private sealed class LostLock : IEnvironmentLock
    {
        public Task<IEnvironmentLease?> TryAcquireAsync(string environmentKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<IEnvironmentLease?>(new LostLease());

        private sealed class LostLease : IEnvironmentLease
        {
            public CancellationToken Lost { get; } = new(canceled: true);

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
