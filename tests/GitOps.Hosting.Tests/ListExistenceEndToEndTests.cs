using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Existence from lists (issue 19, item 2) with the host's composition: <c>GitOps__ListExistence</c> on by default, a
/// real git repository, Azurite and the ARM simulator's request log.
/// </summary>
[Collection(HostingCollection.Events)]
[Trait("Category", "Integration")]
public sealed class ListExistenceEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private const int Groups = 12;

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task A_First_Apply_Lists_The_Groups_Once_Instead_Of_Reading_Each_Unless_Turned_Off(string? setting)
    {
        using var world = new TestWorld(azurite, arm);
        var runtime = await world.RuntimeAsync(extra: setting is null ? null : new Dictionary<string, string?> { ["GitOps:ListExistence"] = setting });
        for (var i = 0; i < Groups; i++)
        {
            world.WriteResourceGroup("envs/dev", $"rg-l{i:00}");
        }

        var commit = world.CommitConfig("groups", ("dev", "envs/dev", "main"));
        var start = world.Arm.State.Requests.Count;

        var run = (await runtime.Reconciler.ReconcileAsync(TestWorld.PushJob(commit))).Run!;

        Assert.True(run.Outcome == RunOutcome.Applied, $"{run.Outcome}: {run.Summary}");
        var gets = world.Arm.State.Requests.Skip(start).Where(r => r.SubscriptionId == world.SubscriptionId && r.Method == "GET").ToList();
        var list = $"/subscriptions/{world.SubscriptionId}/resourceGroups";
        if (setting is null)
        {
            Assert.Equal(list, Assert.Single(gets).Path, StringComparer.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Equal(Groups, gets.Count(r => r.StatusCode == 404));
            Assert.DoesNotContain(gets, r => string.Equals(r.Path, list, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(Groups, world.Arm.State.Requests.Skip(start).Count(r => r.SubscriptionId == world.SubscriptionId && r.Method == "PUT"));
    }
}
