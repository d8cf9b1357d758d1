using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;

namespace GitOps.Core.Tests.Reconcile;

public sealed class ReconcilerTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";
    private const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-app";
    private const string StorageId = GroupId + "/providers/Microsoft.Storage/storageAccounts/stapp01";

    private readonly FakeConfigSource _source = new();
    private readonly FakeArmClient _arm = new();
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryStateStore _states = new();
    private readonly InMemoryLock _locks = new();
    private readonly InMemoryQueue _queue = new();

    private Reconciler Reconciler() => new(_source, _arm, _runs, _states, _locks, _queue);

    private static string Config(string driftMode = "correct", string suspended = "false") => $"""
        environments:
          - name: prod
            path: envs/prod
            branch: main
            subscriptionId: {Subscription}
            drift: {"{"} interval: 30m, mode: {driftMode} {"}"}
            suspended: {suspended}
        """;

    private static string Resources(string tls = "TLS1_2") => $"""
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
        """;

    private string Commit(string tls = "TLS1_2", string driftMode = "correct", string message = "change", string resources = "") =>
        _source.Commit("main", files => files
            .Add("gitops.yaml", Config(driftMode))
            .Add("envs/prod/app.yaml", resources.Length > 0 ? resources : Resources(tls)), message);

    private static ReconcileJob Job(string? commit, RunTrigger trigger = RunTrigger.Push) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = trigger,
        EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z"),
    };

    private int Writes => _arm.Calls.Count(c => c.Method is "PUT" or "DELETE");

    [Fact]
    public async Task Push_Job_Applies_The_Commit_And_Records_Run_And_State()
    {
        var sha = Commit(message: "Add storage account\n\nFor the app.");

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Complete, result.Disposition);
        var run = Assert.Single(_runs.Saved);
        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal(sha, run.Commit!.Sha);
        Assert.Equal("Ada Lovelace", run.Commit.Author);
        Assert.Equal("Add storage account", run.Commit.Subject);
        Assert.Equal(2, run.Results.Count);
        Assert.Equal(2, run.Plan!.Summary.Create);
        Assert.True(_arm.Exists(StorageId));

        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Equal(sha, state.LastApplied!.Sha);
        Assert.Equal(2, state.Inventory.Entries.Count);
        Assert.Contains(state.Conditions, c => c.Type == Conditions.Ready && c.Status == ConditionStatus.True);
        Assert.False(_locks.IsHeld("platform/prod"));
    }

    [Fact]
    public async Task Redelivered_Job_For_Applied_Commit_Writes_Nothing()
    {
        var sha = Commit();
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(sha));
        var writesAfterFirst = Writes;

        var second = await reconciler.ReconcileAsync(Job(sha), attempt: 2);

        Assert.Equal(RunOutcome.NoChanges, second.Run!.Outcome);
        Assert.Equal(writesAfterFirst, Writes);
        Assert.Equal(2, second.Run.Attempt);
    }

    [Fact]
    public async Task Job_For_Commit_Older_Than_Applied_Is_Superseded()
    {
        var older = Commit("TLS1_0");
        var newer = Commit("TLS1_2");
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(newer));
        var calls = _arm.Calls.Count;

        var result = await reconciler.ReconcileAsync(Job(older));

        Assert.Equal(RunOutcome.Superseded, result.Run!.Outcome);
        Assert.Equal(calls, _arm.Calls.Count);
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Equal(newer, state.LastApplied!.Sha);
    }

    [Fact]
    public async Task Push_Job_Behind_The_Branch_Tip_Applies_The_Tip()
    {
        var first = Commit("TLS1_0");
        var tip = Commit("TLS1_2");

        var result = await Reconciler().ReconcileAsync(Job(first));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Equal(tip, result.Run.Commit!.Sha);
        Assert.Equal(first, result.Run.RequestedCommit);
        Assert.Contains(result.Run.Warnings, w => w.Contains("superseded by the branch tip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_Job_Behind_The_Tip_Right_After_An_Apply_Waits_For_The_Burst_To_Settle()
    {
        var reconciler = Reconciler();
        var applied = Commit("TLS1_0");
        Assert.Equal(RunOutcome.Applied, (await reconciler.ReconcileAsync(Job(applied))).Run!.Outcome);
        var writes = Writes;
        var behind = Commit("TLS1_1");
        Commit("TLS1_2");

        var result = await reconciler.ReconcileAsync(Job(behind));

        Assert.Equal(JobDisposition.Deferred, result.Disposition);
        Assert.Single(_runs.Saved);
        Assert.Equal(writes, Writes);
        var (job, delay) = Assert.Single(_queue.Enqueued);
        Assert.Equal(behind, job.Commit);
        Assert.InRange(delay, TimeSpan.FromTicks(1), ReconcilerOptions.Default.BurstSettleWindow);
        Assert.False(_locks.IsHeld("platform/prod"));
    }

    [Fact]
    public async Task Push_Job_At_The_Tip_Right_After_An_Apply_Runs_At_Once()
    {
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(Commit("TLS1_0")));
        var tip = Commit("TLS1_2");

        var result = await reconciler.ReconcileAsync(Job(tip));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Equal(tip, result.Run.Commit!.Sha);
        Assert.Empty(_queue.Enqueued);
    }

    [Fact]
    public async Task Invalid_Manifests_Are_Recorded_With_Every_Error_And_Not_Retried()
    {
        var sha = Commit(resources: """
            type: Microsoft.Storage/storageAccounts@2023-05-01
            name: stapp01
            resourceGroup: rg-app
            propertes: {}
            ---
            type: not-a-type
            name: x
            """);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Complete, result.Disposition);
        Assert.Equal(RunOutcome.Invalid, result.Run!.Outcome);
        Assert.True(result.Run.Errors.Count >= 2);
        Assert.Contains(result.Run.Errors, e => e.Contains(DiagnosticCodes.UnknownField, StringComparison.Ordinal) && e.Contains("envs/prod/app.yaml", StringComparison.Ordinal));
        Assert.Equal(0, Writes);
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Contains(state.Conditions, c => c.Type == Conditions.Ready && c.Reason == Conditions.ValidationFailed);
    }

    private string CommitWithPolicy(string policy) =>
        _source.Commit("main", files => files
            .Add("gitops.yaml", Config())
            .Add("gitops.policy.yaml", policy)
            .Add("envs/prod/app.yaml", Resources()), "policy");

    [Fact]
    public async Task Denied_Commit_Is_PolicyDenied_With_No_Arm_Call_And_Every_Violation_Recorded()
    {
        var sha = CommitWithPolicy("""
            rules:
              - name: allowed-locations
                allowedLocations: [ northeurope ]
              - name: geo-redundant-storage
                severity: warn
                allowedSkus: { "Microsoft.Storage/storageAccounts": [ Standard_GRS ] }
            """);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Complete, result.Disposition);
        var run = result.Run!;
        Assert.Equal(RunOutcome.PolicyDenied, run.Outcome);
        Assert.Empty(_arm.Calls);
        Assert.Null(run.Plan);
        Assert.Equal(2, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.Contains("error GO2001", e, StringComparison.Ordinal));
        Assert.Contains(run.Errors, e => e.StartsWith("envs/prod/app.yaml:3:1:", StringComparison.Ordinal)
            && e.Contains("Microsoft.Resources/resourceGroups 'rg-app'", StringComparison.Ordinal)
            && e.Contains("'allowed-locations' (gitops.policy.yaml:2:5)", StringComparison.Ordinal));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("warning GO2002", warning, StringComparison.Ordinal);
        Assert.Contains("'Standard_LRS'", warning, StringComparison.Ordinal);
        Assert.Contains("allowed-locations", run.Summary, StringComparison.Ordinal);
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Null(state.LastApplied);
        Assert.Contains(state.Conditions, c => c.Type == Conditions.Ready && c.Reason == Conditions.PolicyDenied);
        var stored = RunJson.DeserializeRun(RunJson.Serialize(run));
        Assert.Equal(run.Warnings, stored.Warnings);
    }

    [Fact]
    public async Task Warn_Rule_Is_Recorded_And_The_Commit_Is_Applied()
    {
        var sha = CommitWithPolicy("""
            rules:
              - name: owner-tag
                severity: warn
                appliesTo: { types: [ "Microsoft.Storage/*" ] }
                requiredTags: [ owner ]
            """);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Empty(result.Run.Errors);
        var warning = Assert.Single(result.Run.Warnings);
        Assert.Contains("Microsoft.Storage/storageAccounts 'stapp01'", warning, StringComparison.Ordinal);
        Assert.True(_arm.Exists(StorageId));
    }

    [Fact]
    public async Task Malformed_Policy_File_Makes_The_Run_Invalid_Before_Any_Arm_Call()
    {
        var sha = CommitWithPolicy("""
            rules:
              - name: tls
                asert: { path: /properties/minimumTlsVersion, equals: TLS1_2 }
            """);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.Invalid, result.Run!.Outcome);
        var error = Assert.Single(result.Run.Errors);
        Assert.StartsWith("gitops.policy.yaml:3:5: error GO1002", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'assert'", error, StringComparison.Ordinal);
        Assert.Contains("gitops.policy.yaml", result.Run.Summary, StringComparison.Ordinal);
        Assert.Contains("1 error(s)", result.Run.Summary, StringComparison.Ordinal);
        Assert.Empty(_arm.Calls);
    }

    [Fact]
    public async Task Busy_Environment_Defers_The_Job_Without_A_Record()
    {
        var sha = Commit();
        await using var held = await _locks.TryAcquireAsync("platform/prod");

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Deferred, result.Disposition);
        Assert.Empty(_runs.Saved);
        var (job, delay) = Assert.Single(_queue.Enqueued);
        Assert.Equal(sha, job.Commit);
        Assert.True(delay > TimeSpan.Zero);
        Assert.Empty(_arm.Calls);
    }

    [Fact]
    public async Task Jobs_Deferred_Together_Come_Back_Spread_Over_The_Jittered_Delay()
    {
        var sha = Commit();
        await using var held = await _locks.TryAcquireAsync("platform/prod");
        var options = new ReconcilerOptions { LeaseBusyDelay = TimeSpan.FromSeconds(4), LeaseBusyJitter = 0.5 };
        var reconciler = new Reconciler(_source, _arm, _runs, _states, _locks, _queue, options);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(JobDisposition.Deferred, (await reconciler.ReconcileAsync(Job(sha))).Disposition);
        }

        var delays = _queue.Enqueued.Select(e => e.Delay).ToList();
        Assert.Equal(20, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6)));
        Assert.True(delays.Distinct().Count() > 10, "deferred jobs must not all come back at the same moment");
    }

    [Fact]
    public async Task Transient_Arm_Failure_Is_Recorded_And_Retried()
    {
        var sha = Commit();
        _arm.WriteFailures[StorageId] = new ArmRequestException(503, "ServiceUnavailable", "Try later.", ArmErrorKind.Transient, "corr-9");

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Retry, result.Disposition);
        Assert.Equal(RunOutcome.Failed, result.Run!.Outcome);
        var failed = Assert.Single(result.Run.Results, r => r.Outcome == Core.Apply.ResourceOutcome.Failed);
        Assert.Equal(("ServiceUnavailable", "corr-9"), (failed.ErrorCode, failed.CorrelationId));
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Null(state.LastApplied);
        Assert.True(state.Inventory.Contains(GroupId));
        Assert.False(_locks.IsHeld("platform/prod"));
    }

    [Fact]
    public async Task Detect_Mode_Records_Drift_And_Writes_Nothing()
    {
        var sha = Commit(driftMode: "detect");
        _arm.Seed(GroupId, new JsonObject { ["id"] = GroupId, ["location"] = "westeurope" });
        _arm.Seed(StorageId, new JsonObject
        {
            ["id"] = StorageId,
            ["location"] = "westeurope",
            ["sku"] = new JsonObject { ["name"] = "Standard_LRS" },
            ["kind"] = "StorageV2",
            ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_0" },
        });

        var result = await Reconciler().ReconcileAsync(Job(sha, RunTrigger.Drift));

        Assert.Equal(RunOutcome.DriftDetected, result.Run!.Outcome);
        Assert.Equal(0, Writes);
        var change = result.Run.Plan!.Changes.Single(c => c.Id == StorageId);
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal("/properties/minimumTlsVersion", change.Diffs[0].Path);
    }

    [Fact]
    public async Task Detect_Mode_Still_Applies_Pushed_Commits()
    {
        var sha = Commit(driftMode: "detect");

        var result = await Reconciler().ReconcileAsync(Job(sha, RunTrigger.Push));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.True(_arm.Exists(StorageId));
    }

    [Fact]
    public async Task Suspended_Environment_Observes_But_Writes_Nothing()
    {
        var sha = Commit();
        await _states.SaveAsync(EnvironmentState.New("platform", "prod") with
        {
            Suspension = new Suspension("Incident 42: hands off", "alice", DateTimeOffset.Parse("2026-11-01T09:00:00Z"), null),
        }, etag: null);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(RunOutcome.Suspended, result.Run!.Outcome);
        Assert.Contains("alice", result.Run.Summary, StringComparison.Ordinal);
        Assert.Equal(0, Writes);
        Assert.Equal(2, _arm.Calls.Count(c => c.Method == "GET"));
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.NotNull(state.Suspension);
    }

    [Fact]
    public async Task Source_Failure_Is_Recorded_And_Retried_When_Transient()
    {
        var sha = Commit();
        _source.FailNextRead = new ConfigSourceException("fetch from https://git.example/repo timed out", transient: true);

        var result = await Reconciler().ReconcileAsync(Job(sha));

        Assert.Equal(JobDisposition.Retry, result.Disposition);
        Assert.Equal(RunOutcome.Failed, result.Run!.Outcome);
        Assert.Contains(result.Run.Errors, e => e.Contains("timed out", StringComparison.Ordinal));
        Assert.Equal(0, Writes);
        Assert.False(_locks.IsHeld("platform/prod"));
    }

    [Fact]
    public async Task Manual_Job_Without_Commit_Reconciles_The_Branch_Tip()
    {
        Commit("TLS1_0");
        var tip = Commit("TLS1_2");

        var result = await Reconciler().ReconcileAsync(Job(null, RunTrigger.Manual));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Equal(tip, result.Run.Commit!.Sha);
        Assert.Null(result.Run.RequestedCommit);
    }

    [Fact]
    public async Task Out_Of_Band_Change_Is_Corrected_On_The_Next_Run()
    {
        var sha = Commit();
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(sha));
        var live = (await _arm.GetAsync(StorageId, "2023-05-01"))!.Body;
        live["properties"]!["minimumTlsVersion"] = "TLS1_0";
        _arm.Seed(StorageId, live);

        var result = await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift));

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Equal("TLS1_2", (await _arm.GetAsync(StorageId, "2023-05-01"))!.Body["properties"]!["minimumTlsVersion"]!.GetValue<string>());
    }

    private async Task<string> TlsAsync() => (await _arm.GetAsync(StorageId, "2023-05-01"))!.Body["properties"]!["minimumTlsVersion"]!.GetValue<string>();

    private async Task<(string Old, string Tip)> RollBackAsync(Reconciler reconciler)
    {
        var old = Commit("TLS1_0");
        await reconciler.ReconcileAsync(Job(old));
        var tip = Commit("TLS1_2");
        await reconciler.ReconcileAsync(Job(tip));
        var rollback = await reconciler.ReconcileAsync(Job(old, RunTrigger.Rollback) with { RequestedBy = "carol" });
        Assert.Equal((RunOutcome.Applied, old), (rollback.Run!.Outcome, rollback.Run.Commit!.Sha));
        return (old, tip);
    }

    [Fact]
    public async Task Rollback_Applies_The_Earlier_Commit_And_Records_The_Hold()
    {
        var reconciler = Reconciler();

        var (old, tip) = await RollBackAsync(reconciler);

        Assert.Equal("TLS1_0", await TlsAsync());
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Equal((old, tip, "carol"), (state.RolledBackTo!.Commit.Sha, state.RolledBackTo.BranchTipAtRollback, state.RolledBackTo.By));
        Assert.Equal(old, state.LastApplied!.Sha);
    }

    [Fact]
    public async Task Drift_And_Manual_Runs_During_A_Hold_Keep_The_Rolled_Back_Commit()
    {
        var reconciler = Reconciler();
        var (old, tip) = await RollBackAsync(reconciler);
        var writes = Writes;

        var drift = await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift));
        var manual = await reconciler.ReconcileAsync(Job(null, RunTrigger.Manual));
        var redelivered = await reconciler.ReconcileAsync(Job(tip));

        Assert.Equal((RunOutcome.NoChanges, old), (drift.Run!.Outcome, drift.Run.Commit!.Sha));
        Assert.Equal((RunOutcome.NoChanges, old), (manual.Run!.Outcome, manual.Run.Commit!.Sha));
        Assert.Equal(RunOutcome.Superseded, redelivered.Run!.Outcome);
        Assert.Contains("rollback", redelivered.Run.Summary, StringComparison.Ordinal);
        Assert.Equal(writes, Writes);
        Assert.Equal("TLS1_0", await TlsAsync());
        Assert.NotNull((await _states.GetAsync("platform/prod"))!.Value.State.RolledBackTo);
    }

    [Fact]
    public async Task Drift_During_A_Hold_Corrects_Towards_The_Rolled_Back_Commit()
    {
        var reconciler = Reconciler();
        await RollBackAsync(reconciler);
        var live = (await _arm.GetAsync(StorageId, "2023-05-01"))!.Body;
        live["properties"]!["minimumTlsVersion"] = "TLS1_1";
        _arm.Seed(StorageId, live);

        var drift = await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift));

        Assert.Equal(RunOutcome.Applied, drift.Run!.Outcome);
        Assert.Equal("TLS1_0", await TlsAsync());
    }

    [Fact]
    public async Task A_New_Commit_On_The_Branch_Ends_The_Hold_And_Is_Applied()
    {
        var reconciler = Reconciler();
        await RollBackAsync(reconciler);
        var fix = Commit("TLS1_2", message: "Revert the rollback cause properly");

        var push = await reconciler.ReconcileAsync(Job(fix));

        Assert.Equal((RunOutcome.Applied, fix), (push.Run!.Outcome, push.Run.Commit!.Sha));
        Assert.Equal("TLS1_2", await TlsAsync());
        Assert.Null((await _states.GetAsync("platform/prod"))!.Value.State.RolledBackTo);
    }
}
