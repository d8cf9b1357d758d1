using GitOps.Core.Manifests;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Targeted pushes (<see cref="ReconcilerOptions.TargetedPushes"/>): a push reads what its commit changed.</summary>
public sealed partial class ScopedReconcileTests
{
    private Reconciler Targeted(bool on = true) =>
        new(_source, _arm, _runs, _states, _locks, _queue, ReconcilerOptions.Default with { TargetedPushes = on, BurstSettleWindow = TimeSpan.Zero }, index: _index);

    // The group, two storage accounts (the first one's TLS from a variable when asked) and optionally the network.
    private string PushCommit(string firstTls = "TLS1_2", bool second = true, bool network = false, string? tlsVariable = null) =>
        _source.Commit("main", files =>
        {
            var config = tlsVariable is null ? Config() : Config() + $"\n    variables: {{ tls: {tlsVariable} }}\n";
            files.Add("gitops.yaml", config).Add("envs/prod/group.yaml", GroupYaml)
                .Add("envs/prod/first.yaml", Storage("stapp01", tlsVariable is null ? firstTls : "${{ vars.tls }}"));
            if (second)
            {
                files.Add("envs/prod/second.yaml", Storage("stapp02", tlsVariable is null ? "TLS1_2" : "${{ vars.tls }}"));
            }

            if (network)
            {
                files.Add("envs/prod/network.yaml", NetworkYaml);
            }
        });

    private async Task<RunRecord> PushAsync(Reconciler reconciler, string sha)
    {
        var run = (await reconciler.ReconcileAsync(Job(sha, RunTrigger.Push))).Run!;
        Assert.True(run.Outcome is RunOutcome.Applied or RunOutcome.NoChanges, $"{run.Outcome}: {run.Summary} {string.Join("\n", run.Errors)}");
        return run;
    }

    private string Tls(string id) => _arm.GetAsync(id, "2023-05-01").GetAwaiter().GetResult()!.Body["properties"]!["minimumTlsVersion"]!.GetValue<string>();

    [Fact]
    public async Task A_Targeted_Push_Reads_And_Writes_Only_The_Changed_Resource_Advances_LastApplied_And_Leaves_Drift_Elsewhere_To_The_Sweep()
    {
        var reconciler = Targeted();
        var first = await PushAsync(reconciler, PushCommit());
        Assert.Null(first.Scope);
        await ChangeTlsAsync(Second, "TLS1_0");
        var start = _arm.Calls.Count;

        var sha = PushCommit(firstTls: "TLS1_1");
        var run = await PushAsync(reconciler, sha);

        Assert.Equal([("GET", First), ("PUT", First)], CallsSince(start));
        Assert.Equal("TLS1_1", Tls(First));
        Assert.Equal("TLS1_0", Tls(Second));
        var scope = run.Scope!;
        Assert.True(scope.AppliesCommit);
        Assert.Equal([new ScopedResource(First, ObservationScope.DeclarationChanged)], scope.Observed);
        Assert.Contains("2 untouched resource(s) left to ARM events and the drift sweep", scope.Reason, StringComparison.Ordinal);
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Equal(sha, state.LastApplied!.Sha);
        Assert.Equal(3, state.Inventory.Entries.Count);

        // A second push of the same commit reads nothing at all; the drift sweep corrects the untouched one.
        start = _arm.Calls.Count;
        var again = await PushAsync(reconciler, sha);
        Assert.Empty(CallsSince(start));
        Assert.Equal(0, again.Scope!.ObservedCount);
        var sweep = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift))).Run!;
        Assert.Equal(RunOutcome.Applied, sweep.Outcome);
        Assert.Equal("TLS1_2", Tls(Second));
    }

    [Fact]
    public async Task A_Removed_Resource_Is_Pruned_From_The_Inventory_Without_Reading_Anything_Else()
    {
        var reconciler = Targeted();
        await PushAsync(reconciler, PushCommit());
        var start = _arm.Calls.Count;

        var run = await PushAsync(reconciler, PushCommit(second: false));

        Assert.Equal([("DELETE", Second)], CallsSince(start).Where(c => c.Method != "GET" || c.Id != Second).ToList());
        Assert.DoesNotContain(CallsSince(start), c => c.Method == "GET" && c.Id != Second);
        Assert.False(_arm.Exists(Second));
        Assert.Contains(new ScopedResource(Second, ObservationScope.ToDelete), run.Scope!.Observed);
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Equal(2, state.Inventory.Entries.Count);
        Assert.False(state.Inventory.Contains(Second));
    }

    [Fact]
    public async Task A_New_Resource_And_The_Children_Of_A_Changed_Parent_Are_Observed()
    {
        var reconciler = Targeted();
        await PushAsync(reconciler, PushCommit());
        var start = _arm.Calls.Count;

        var run = await PushAsync(reconciler, PushCommit(network: true));

        Assert.Equal(
            [new ScopedResource(Network, ObservationScope.NotInInventory), new ScopedResource(Subnet, ObservationScope.NotInInventory)],
            run.Scope!.Observed.OrderBy(o => o.Id, StringComparer.Ordinal).ToList());
        Assert.Equal(2, CallsSince(start).Count(c => c.Method == "PUT"));
        Assert.DoesNotContain(CallsSince(start), c => c.Id == First || c.Id == Second);
    }

    [Fact]
    public async Task A_Change_To_Gitops_Yaml_Such_As_A_Variable_Widens_The_Push_To_The_Whole_Environment()
    {
        var reconciler = Targeted();
        await PushAsync(reconciler, PushCommit(tlsVariable: "TLS1_2"));
        var start = _arm.Calls.Count;

        var run = await PushAsync(reconciler, PushCommit(tlsVariable: "TLS1_1"));

        Assert.Null(run.Scope);
        Assert.Contains(run.Warnings, w => w.Contains("gitops.yaml changed since the last applied commit", StringComparison.Ordinal));
        Assert.Equal(3, CallsSince(start).Count(c => c.Method == "GET"));
        Assert.Equal("TLS1_1", Tls(First));
        Assert.Equal("TLS1_1", Tls(Second));
    }

    [Fact]
    public async Task Digests_Are_Of_Expanded_Declarations_So_A_Variable_Change_Selects_Every_Resource_Using_It()
    {
        var reconciler = Targeted();
        await PushAsync(reconciler, PushCommit(tlsVariable: "TLS1_2"));
        var inventory = (await _states.GetAsync("platform/prod"))!.Value.State.Inventory;
        var tree = await _source.ReadAsync("platform", PushCommit(tlsVariable: "TLS1_1"), folder: null);
        var loader = new ManifestLoader();
        var changed = loader.LoadEnvironment(tree, loader.LoadConfig(tree).Find("prod")!).Resources;

        var (selected, record) = ObservationScope.SelectChanged(changed, inventory);

        Assert.Equal([First, Second], selected.Select(r => r.Id).Order(StringComparer.Ordinal).ToList());
        Assert.All(record.Observed, o => Assert.Equal(ObservationScope.DeclarationChanged, o.Why));
    }

    [Fact]
    public async Task With_Targeted_Pushes_Off_A_Manual_Sync_Or_A_First_Apply_Every_Resource_Is_Observed()
    {
        await PushAsync(Targeted(on: false), PushCommit());
        var start = _arm.Calls.Count;
        var off = await PushAsync(Targeted(on: false), PushCommit(firstTls: "TLS1_1"));
        Assert.Null(off.Scope);
        Assert.Equal(3, CallsSince(start).Count(c => c.Method == "GET"));

        PushCommit(firstTls: "TLS1_0");
        start = _arm.Calls.Count;
        var sync = (await Targeted().ReconcileAsync(Job(null, RunTrigger.Manual))).Run!;
        Assert.Equal(RunOutcome.Applied, sync.Outcome);
        Assert.Null(sync.Scope);
        Assert.Equal(3, CallsSince(start).Count(c => c.Method == "GET"));
    }
}
