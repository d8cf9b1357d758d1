using GitOps.Core.Alerts;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>
/// Only reviewed commits reach Azure: environment definitions and policy come from the default branch's tip, and a
/// job's commit is applied only when it is reachable from the tip of the environment's branch.
/// </summary>
public sealed class TrustTests
{
    private const string Subscription = InMemoryWorld.Subscription;
    private const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-app";

    private readonly InMemoryWorld _world = new();

    private Reconciler Reconciler() => _world.Reconciler();

    private static string Config(string branch = "main", string path = "envs/prod", string prune = "false") => $"""
        environments:
          - name: prod
            path: {path}
            branch: {branch}
            subscriptionId: {Subscription}
            prune: {"{"} enabled: {prune} {"}"}
        """;

    private const string Group = """
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-app
        location: westeurope
        """;

    private const string OtherGroup = """
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-attacker
        location: westeurope
        """;

    private static ReconcileJob Job(string? commit, RunTrigger trigger = RunTrigger.Push) => InMemoryWorld.Job(commit, trigger);

    private int Writes => _world.Writes;

    [Fact]
    public async Task A_Commit_On_An_Unprotected_Branch_That_Repoints_The_Environment_Is_Refused_With_Nothing_Written()
    {
        var applied = _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group));
        Assert.Equal(RunOutcome.Applied, (await Reconciler().ReconcileAsync(Job(applied))).Run!.Outcome);
        var before = _world.Arm.Calls.Count;

        // The attack: on a feature branch, point prod at that branch, switch prune on and drop the declared group.
        var attack = _world.Source.Commit("feature", f => f
            .Add("gitops.yaml", Config(branch: "feature", prune: "true"))
            .Add("envs/prod/rg.yaml", OtherGroup));

        var result = await Reconciler().ReconcileAsync(Job(attack));

        Assert.Equal(RunOutcome.Refused, result.Run!.Outcome);
        Assert.Equal(JobDisposition.Complete, result.Disposition);
        Assert.Equal(before, _world.Arm.Calls.Count);
        Assert.Equal(attack, result.Run.RequestedCommit);
        Assert.Contains("not on main", result.Run.Summary, StringComparison.Ordinal);
        var state = (await _world.States.GetAsync("platform/prod"))!.Value.State;
        Assert.Equal(applied, state.LastApplied!.Sha);
        Assert.Contains(state.Conditions, c => c.Type == Conditions.Ready && c.Reason == Conditions.CommitRefused);
        Assert.Null(state.ActiveRun);
    }

    [Fact]
    public async Task A_Refused_Run_Alerts_Every_Time_Not_Only_On_The_First_Refusal()
    {
        _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group));
        var attack = _world.Source.Commit("feature", f => f.Add("gitops.yaml", Config(branch: "feature")).Add("envs/prod/rg.yaml", OtherGroup));

        var first = (await Reconciler().ReconcileAsync(Job(attack))).Run!;
        var afterFirst = (await _world.States.GetAsync("platform/prod"))!.Value.State;
        var second = (await Reconciler().ReconcileAsync(Job(attack))).Run!;

        Assert.Contains(AlertRules.Evaluate(EnvironmentState.New("platform", "prod"), first), a => a.Kind == AlertKind.CommitRefused);
        Assert.Contains(AlertRules.Evaluate(afterFirst, second), a => a.Kind == AlertKind.CommitRefused);
    }

    [Fact]
    public async Task A_Commit_No_Branch_Holds_Is_Refused()
    {
        _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group));

        var result = await Reconciler().ReconcileAsync(Job(new string('e', 40)));

        Assert.Equal(RunOutcome.Refused, result.Run!.Outcome);
        Assert.Empty(_world.Arm.Calls);
    }

    [Fact]
    public async Task The_Environment_Definition_Comes_From_The_Default_Branch_Not_From_The_Commit_Applied()
    {
        // prod follows 'release' (declared on main). A commit on release edits gitops.yaml to move prod's folder and
        // switch prune on: that edit is not trusted, so the folder declared on main is applied and nothing is pruned.
        _world.Source.Commit("main", f => f.Add("gitops.yaml", Config(branch: "release")));
        var first = _world.Source.Commit("release", f => f.Add("gitops.yaml", Config(branch: "release")).Add("envs/prod/rg.yaml", Group));
        Assert.Equal(RunOutcome.Applied, (await Reconciler().ReconcileAsync(Job(first))).Run!.Outcome);

        var edited = _world.Source.Commit("release", f => f
            .Add("gitops.yaml", Config(branch: "release", path: "envs/other", prune: "true"))
            .Add("envs/prod/rg.yaml", Group)
            .Add("envs/other/rg.yaml", OtherGroup));
        var result = await Reconciler().ReconcileAsync(Job(edited));

        Assert.Equal(RunOutcome.NoChanges, result.Run!.Outcome);
        Assert.False(_world.Arm.Exists($"/subscriptions/{Subscription}/resourceGroups/rg-attacker"));
        Assert.True(_world.Arm.Exists(GroupId));
        Assert.Equal(0, _world.Arm.Calls.Count(c => c.Method == "DELETE"));
    }

    [Fact]
    public async Task Policy_Rules_Come_From_The_Default_Branch_So_A_Commit_Cannot_Relax_Them()
    {
        const string Deny = """
            version: 1
            rules:
              - name: only-allowed-locations
                severity: deny
                allowedLocations: [ northeurope ]
            """;
        _world.Source.Commit("main", f => f.Add("gitops.yaml", Config(branch: "release")).Add("gitops.policy.yaml", Deny));
        var relaxed = _world.Source.Commit("release", f => f
            .Add("gitops.yaml", Config(branch: "release"))
            .Add("gitops.policy.yaml", "version: 1\nrules: []\n")
            .Add("envs/prod/rg.yaml", OtherGroup));

        var result = await Reconciler().ReconcileAsync(Job(relaxed));

        Assert.Equal(RunOutcome.PolicyDenied, result.Run!.Outcome);
        Assert.Equal(0, Writes);
    }

    [Fact]
    public async Task A_Rollback_To_A_Commit_Off_The_Branch_Is_Refused()
    {
        var good = _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group));
        Assert.Equal(RunOutcome.Applied, (await Reconciler().ReconcileAsync(Job(good))).Run!.Outcome);
        var stray = _world.Source.Commit("feature", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", OtherGroup));
        var before = Writes;

        var result = await Reconciler().ReconcileAsync(Job(stray, RunTrigger.Rollback) with { RequestedBy = "alice" });

        Assert.Equal(RunOutcome.Refused, result.Run!.Outcome);
        Assert.Equal(before, Writes);
        Assert.Null((await _world.States.GetAsync("platform/prod"))!.Value.State.RolledBackTo);
    }

    [Fact]
    public async Task A_Rollback_To_An_Earlier_Commit_Of_The_Branch_Is_Applied()
    {
        var good = _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group));
        Assert.Equal(RunOutcome.Applied, (await Reconciler().ReconcileAsync(Job(good))).Run!.Outcome);
        var later = _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group + "\ntags: { v: '2' }\n"));
        Assert.Equal(RunOutcome.Applied, (await Reconciler().ReconcileAsync(Job(later))).Run!.Outcome);

        var result = await Reconciler().ReconcileAsync(Job(good, RunTrigger.Rollback) with { RequestedBy = "alice" });

        Assert.Equal(RunOutcome.Applied, result.Run!.Outcome);
        Assert.Equal(good, result.Run.Commit!.Sha);
        Assert.Equal(good, (await _world.States.GetAsync("platform/prod"))!.Value.State.RolledBackTo!.Commit.Sha);
    }

    [Fact]
    public async Task A_Transient_Failure_While_Checking_The_Commit_Fails_The_Run_For_Retry_Instead_Of_Refusing()
    {
        var source = new FailingAncestry(_world.Source);
        _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group));
        var other = _world.Source.Commit("feature", f => f.Add("gitops.yaml", Config()));

        var result = await new Reconciler(source, _world.Arm, _world.Runs, _world.States, _world.Locks, _world.Queue).ReconcileAsync(Job(other));

        Assert.Equal(RunOutcome.Failed, result.Run!.Outcome);
        Assert.Equal(JobDisposition.Retry, result.Disposition);
        Assert.Empty(_world.Arm.Calls);
    }

    [Fact]
    public async Task A_Refused_Gitops_Yaml_Still_Records_The_Commit_It_Came_From()
    {
        var tip = _world.Source.Commit("main", f => f.Add("gitops.yaml", Config()).Add("envs/prod/rg.yaml", Group));
        _world.Source.FailNextRead = new ConfigSourceException("gitops.yaml is a symlink; symlinks are refused.", transient: false);

        var run = (await Reconciler().ReconcileAsync(Job(commit: null, RunTrigger.Drift))).Run!;

        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(tip, run.Commit!.Sha);
        Assert.Contains(run.Errors, e => e.Contains("symlink", StringComparison.Ordinal));
    }

    private sealed class FailingAncestry(IConfigSource inner) : IConfigSource
    {
        public Task<CommitInfo> ResolveAsync(string repository, string? branch, string? commit, CancellationToken cancellationToken = default) =>
            inner.ResolveAsync(repository, branch, commit, cancellationToken);

        public string GetDefaultBranch(string repository) => inner.GetDefaultBranch(repository);

        public Task<IFileTree> ReadAsync(string repository, string commit, string? folder, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(repository, commit, folder, cancellationToken);

        public Task<bool> IsAncestorAsync(string repository, string ancestor, string descendant, CancellationToken cancellationToken = default) =>
            throw new ConfigSourceException("The git host timed out.", transient: true);
    }
}
