using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Targeted pushes with the host's composition (<c>GitOps__TargetedPushes</c> on by default), a real git repository,
/// Azurite and the ARM simulator's request log: a push reads what its commit changed, not the environment.
/// </summary>
[Collection(HostingCollection.Events)]
[Trait("Category", "Integration")]
public sealed class TargetedPushEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private const int Groups = 12;

    private static string Group(TestWorld world, int i) => $"/subscriptions/{world.SubscriptionId}/resourceGroups/{Name(i)}";

    private static string Name(int i) => $"rg-t{i:00}";

    // Every group's owner tag is the variable's value when one is given, else "platform" (or the override).
    private static string Commit(TestWorld world, string? variable = null, IReadOnlyDictionary<int, string>? owners = null, int groups = Groups)
    {
        world.Repository.WriteFile("gitops.yaml", $"""
            version: 1
            environments:
              - name: dev
                path: envs/dev
                branch: main
                subscriptionId: {world.SubscriptionId}
                prune: {"{"} enabled: true, deleteBudget: 5 {"}"}
                drift: {"{"} interval: 12h, mode: correct {"}"}
            {(variable is null ? string.Empty : $"    variables: {{ owner: {variable} }}")}
            """);
        for (var i = 0; i < groups; i++)
        {
            world.WriteResourceGroup("envs/dev", Name(i), variable is not null ? "'${{ vars.owner }}'" : owners?.GetValueOrDefault(i));
        }

        return world.Repository.Commit("groups");
    }

    private static async Task<RunRecord> RunAsync(GitOpsRuntime runtime, ReconcileJob job)
    {
        var run = (await runtime.Reconciler.ReconcileAsync(job)).Run!;
        Assert.True(run.Outcome is RunOutcome.Applied or RunOutcome.NoChanges, $"{run.Outcome}: {run.Summary} {string.Join("\n", run.Errors)}");
        return run;
    }

    private static List<(string Method, string Path)> Since(TestWorld world, int start) =>
        world.Arm.State.Requests.Skip(start).Where(r => r.SubscriptionId == world.SubscriptionId).Select(r => (r.Method, r.Path)).ToList();

    private static string Owner(TestWorld world, int i) => world.Arm.State.GetResource(Group(world, i))!["tags"]!["owner"]!.GetValue<string>();

    [Fact]
    public async Task A_One_Resource_Push_Makes_One_Get_And_One_Put_And_Leaves_Drift_Elsewhere_To_The_Drift_Sweep()
    {
        using var world = new TestWorld(azurite, arm);
        var runtime = await world.RuntimeAsync();
        var full = await RunAsync(runtime, TestWorld.PushJob(Commit(world)));
        Assert.Null(full.Scope);
        Assert.True(world.Arm.State.SetOutOfBand(Group(world, 7), JsonNode.Parse("""{"tags":{"owner":"mallory"}}""")!.AsObject(), by: "alice@contoso.com"));
        var start = world.Arm.State.Requests.Count;

        var commit = Commit(world, owners: new Dictionary<int, string> { [3] = "team-a" });
        var run = await RunAsync(runtime, TestWorld.PushJob(commit));

        Assert.Equal([("GET", Group(world, 3)), ("PUT", Group(world, 3))], Since(world, start));
        Assert.Equal([new ScopedResource(Group(world, 3), "declaration changed")], run.Scope!.Observed);
        Assert.True(run.Scope.AppliesCommit);
        Assert.Equal("team-a", Owner(world, 3));
        Assert.Equal("mallory", Owner(world, 7));
        var state = (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State;
        Assert.Equal(commit, state.LastApplied!.Sha);
        Assert.Equal(Groups, state.Inventory.Entries.Count);

        // The record, as stored, says what the push read and why.
        var stored = (await runtime.Storage.Runs.GetAsync(run.RunId))!;
        Assert.Equal("declaration changed", Assert.Single(stored.Scope!.Observed).Why);

        // The drift sweep reads everything and corrects the untouched group the push left alone.
        start = world.Arm.State.Requests.Count;
        var sweep = await RunAsync(runtime, TestWorld.PushJob(commit) with { Commit = null, Trigger = RunTrigger.Drift });
        Assert.Null(sweep.Scope);
        Assert.Equal(Groups, Since(world, start).Count(r => r.Method == "GET"));
        Assert.Equal("platform", Owner(world, 7));
    }

    [Fact]
    public async Task A_Variable_Change_Widens_To_All_A_Removed_Resource_Is_Pruned_And_The_Setting_Turns_It_Off()
    {
        using var world = new TestWorld(azurite, arm);
        var runtime = await world.RuntimeAsync();
        await RunAsync(runtime, TestWorld.PushJob(Commit(world, variable: "platform")));

        var start = world.Arm.State.Requests.Count;
        var widened = await RunAsync(runtime, TestWorld.PushJob(Commit(world, variable: "team-b")));
        Assert.Null(widened.Scope);
        Assert.Contains(widened.Warnings, w => w.Contains("gitops.yaml changed", StringComparison.Ordinal));
        Assert.Equal(Groups, Since(world, start).Count(r => r.Method == "GET"));
        Assert.All(Enumerable.Range(0, Groups), i => Assert.Equal("team-b", Owner(world, i)));

        // The last group leaves git: deleted from the inventory alone, nothing else read.
        world.Repository.DeleteFile($"envs/dev/{Name(Groups - 1)}.yaml");
        var removal = world.Repository.Commit("remove the last group");
        start = world.Arm.State.Requests.Count;
        var pruned = await RunAsync(runtime, TestWorld.PushJob(removal));
        Assert.Equal(1, pruned.Plan!.Summary.Delete);
        Assert.Contains(new ScopedResource(Group(world, Groups - 1), "to delete"), pruned.Scope!.Observed);
        var others = Enumerable.Range(0, Groups - 1).Select(i => Group(world, i)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(Since(world, start), r => others.Contains(r.Path));
        Assert.Single(Since(world, start), r => r.Method == "DELETE");
        Assert.Null(world.Arm.State.GetResource(Group(world, Groups - 1)));
        Assert.Equal(Groups - 1, (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.Inventory.Entries.Count);

        // GitOps__TargetedPushes=false: every push reads every declared resource.
        var off = await world.RuntimeAsync(extra: new Dictionary<string, string?> { ["GitOps:TargetedPushes"] = "false" });
        world.WriteResourceGroup("envs/dev", Name(0), "team-c");
        var change = world.Repository.Commit("one group");
        start = world.Arm.State.Requests.Count;
        var whole = await RunAsync(off, TestWorld.PushJob(change));
        Assert.Null(whole.Scope);
        Assert.Equal(Groups - 1, Since(world, start).Count(r => r.Method == "GET"));
    }
}
