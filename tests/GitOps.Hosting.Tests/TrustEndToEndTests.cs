using System.Net;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// The attack of issue 10, end to end through the webhook endpoint: a commit on an unprotected branch, whose
/// gitops.yaml points an environment at that branch and switches prune on, is never applied.
/// </summary>
[Collection(HostingCollection.TrustEndToEnd)]
[Trait("Category", "Integration")]
public sealed class TrustEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    [Fact]
    public async Task A_Delivery_Claiming_Main_For_A_Feature_Branch_Commit_Is_Refused_With_Zero_Arm_Writes_And_An_Alert()
    {
        using var world = new TestWorld(azurite, arm);
        await using var receiver = await AlertReceiver.StartAsync();
        var applied = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?>
        {
            ["GitOps:Alerts:hook:Type"] = "webhook",
            ["GitOps:Alerts:hook:Url"] = receiver.Url("/hook").ToString(),
        });
        await using var server = await ApiServer.StartAsync(runtime);
        var (_, first) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(applied)), 1);
        Assert.Equal(RunOutcome.Applied, first!.Outcome);
        var writesBefore = world.Writes().Count;

        // On a feature branch: dev follows 'feature' with prune on, and its resource group is gone.
        world.Repository.CreateBranch("feature");
        File.Delete(Path.Combine(world.Repository.RepositoryPath, "envs", "dev", "rg-dev.yaml"));
        world.WriteResourceGroup("envs/dev", "rg-attacker");
        world.Repository.WriteFile("gitops.yaml", $"""
            version: 1
            environments:
              - name: dev
                path: envs/dev
                branch: feature
                subscriptionId: {world.SubscriptionId}
                prune: {"{"} enabled: true, deleteBudget: 100 {"}"}
            """);
        var attack = world.Repository.Commit("dev follows feature, prune on");

        // GitLab's token is a shared secret, not a signature over the body: whoever holds it can claim any ref. The
        // delivery says the feature commit was pushed to main.
        var (body, headers) = Deliveries.GitLabPush("acme/app-config", world.Repository.Url, "main", applied, attack, ["gitops.yaml", "envs/dev/rg-attacker.yaml"], TestWorld.WebhookSecret);
        using var response = await server.Client.SendAsync(Deliveries.Request(body, headers));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // The fan-out (gitops.yaml on main: dev follows main) queues dev at the claimed commit; the run refuses it.
        var push = PushJobJson.TryParse(Assert.Single(await runtime.Storage.Queue.PeekMessagesAsync(32)).Text!)!;
        Assert.Contains("dev", (await runtime.FanOut.RunAsync(push)).Enqueued);
        var job = (await runtime.Storage.Queue.PeekMessagesAsync(32)).Select(m => m.Text!)
            .Where(t => PushJobJson.TryParse(t) is null)
            .Single(t => ReconcileJobJson.Parse(t).Environment == "dev");
        var (_, run) = await runtime.Reconcile.RunAsync(job, 1);

        Assert.Equal(RunOutcome.Refused, run!.Outcome);
        Assert.Equal(attack, run.RequestedCommit);
        Assert.Equal(writesBefore, world.Writes().Count);
        Assert.NotNull(world.Arm.State.GetResource($"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-dev"));
        Assert.Null(world.Arm.State.GetResource($"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-attacker"));
        var alert = Assert.Single(receiver.BodiesAt("/hook"))!;
        Assert.Equal("commitRefused", alert["kind"]!.GetValue<string>());
        Assert.Equal(run.RunId, alert["runId"]!.GetValue<string>());
        var state = (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State;
        Assert.Equal(applied, state.LastApplied!.Sha);
    }
}
