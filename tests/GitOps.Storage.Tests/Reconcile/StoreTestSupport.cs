using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;
using GitOps.Testing;

namespace GitOps.Storage.Tests.Reconcile;

/// <summary>A fresh container and queue per test, and sample records.</summary>
internal static class StoreTestSupport
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static Task<GitOpsStorage> NewStorageAsync(AzuriteFixture azurite, TimeSpan? renewInterval = null) =>
        GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), NewOptions() with { LeaseRenewInterval = renewInterval });

    /// <summary>Fresh names: a container, a queue and a ledger table of their own.</summary>
    public static GitOpsStorageOptions NewOptions() => new()
    {
        ContainerName = AzuriteFixture.UniqueName("gitops"),
        QueueName = AzuriteFixture.UniqueName("reconcile"),
        TableName = UniqueTableName(),
    };

    /// <summary>A table name of its own (letters and digits only).</summary>
    public static string UniqueTableName() => "runs" + Guid.NewGuid().ToString("N")[..16];

    public static RunRecord Run(string repository, string environment, DateTimeOffset startedAt, RunOutcome outcome = RunOutcome.Applied) => new()
    {
        RunId = RunIds.New(startedAt),
        Repository = repository,
        Environment = environment,
        Trigger = RunTrigger.Push,
        JobId = "job-1",
        DeliveryId = "delivery-1",
        RequestedCommit = "0123456789abcdef0123456789abcdef01234567",
        Commit = new CommitInfo("0123456789abcdef0123456789abcdef01234567", "Ada Lovelace", "ada@example.com", startedAt.AddMinutes(-5), "Add storage\n\nFor the app."),
        StartedAt = startedAt,
        FinishedAt = startedAt.AddSeconds(12),
        Outcome = outcome,
        Summary = "Applied 0123456: 1 write(s).",
        Plan = new RecordedPlan
        {
            Environment = environment,
            Summary = new PlanSummary(Create: 1, Update: 0, Delete: 0, Detach: 0, Noop: 0, Drift: 0),
            Changes = [new RecordedChange { Id = "/subscriptions/s/resourceGroups/rg-app", Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2024-03-01", Action = PlanAction.Create }],
        },
        Results =
        [
            new ResourceResult("/subscriptions/s/resourceGroups/rg-app", PlanAction.Create, ResourceOutcome.Succeeded, Duration: TimeSpan.FromSeconds(2)),
            new ResourceResult("/subscriptions/s/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1", PlanAction.Update, ResourceOutcome.Failed, "InvalidParameter", "Bad sku.", "corr-1") { Transient = false },
        ],
        Errors = ["InvalidParameter: Bad sku."],
    };

    public static EnvironmentState State(string repository, string environment, string reason = Conditions.ReconciliationSucceeded) =>
        EnvironmentState.New(repository, environment) with
        {
            LastApplied = new CommitInfo("89abcdef0123456789abcdef0123456789abcdef", "Grace Hopper", null, DateTimeOffset.Parse("2026-11-01T10:00:00Z"), "Tune TLS"),
            LastAppliedAt = DateTimeOffset.Parse("2026-11-01T10:05:00Z"),
            Inventory = new ResourceInventory(
            [
                new InventoryEntry("/subscriptions/s/resourceGroups/rg-app", "Microsoft.Resources/resourceGroups", "2024-03-01", "sha256:aa", []),
                new InventoryEntry("/subscriptions/s/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/st1", "Microsoft.Storage/storageAccounts", "2023-05-01", "sha256:bb", ["/subscriptions/s/resourceGroups/rg-app"], DeleteBehavior.Detach),
            ]),
            Conditions = [new Condition(Conditions.Ready, ConditionStatus.True, reason, "Azure matches git.", DateTimeOffset.Parse("2026-11-01T10:05:00Z"))],
            LastRunId = "run-1",
            LastOutcome = RunOutcome.Applied,
            LastRunAt = DateTimeOffset.Parse("2026-11-01T10:05:00Z"),
        };

    public static async Task PollAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {Deadline.TotalSeconds:0} s waiting for {what}.");
            }
        }
    }
}
