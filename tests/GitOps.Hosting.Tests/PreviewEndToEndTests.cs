using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Planning;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Pull-request previews end to end: a signed GitHub <c>pull_request</c> delivery (the octokit example, pointed at a
/// fork's head that only <c>refs/pull/N/head</c> of the configured repository holds) through the webhook endpoint, the
/// fan-out and the preview job on the real queue, Azurite, the ARM simulator and a local GitHub API that enforces the
/// documented requests; then the merge, whose run says whether it did what the preview showed.
/// </summary>
[Collection(HostingCollection.Previews)]
[Trait("Category", "Integration")]
public sealed class PreviewEndToEndTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private const string FullName = "acme/app-config";
    private const long Number = 7;
    private const string LiveSecret = "live-value-nobody-declared-9c41";

    private sealed class Setup(TestWorld world, GitOpsRuntime runtime, ApiServer server, GitHostApiFake github, AlertReceiver fork) : IAsyncDisposable
    {
        public TestWorld World { get; } = world;

        public GitOpsRuntime Runtime { get; } = runtime;

        public ApiServer Server { get; } = server;

        public GitHostApiFake GitHub { get; } = github;

        public AlertReceiver Fork { get; } = fork;

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await GitHub.DisposeAsync();
            await Fork.DisposeAsync();
            World.Dispose();
        }
    }

    /// <summary>dev and prod on main; dev applied once, so rg-dev is in its inventory.</summary>
    private async Task<Setup> SetupAsync()
    {
        var world = new TestWorld(azurite, arm);
        world.WriteResourceGroup("envs/dev", "rg-dev");
        world.WriteResourceGroup("envs/prod", "rg-prod");
        var base0 = world.CommitConfig("two environments", ("dev", "envs/dev", "main"), ("prod", "envs/prod", "main"));
        var github = await GitHostApiFake.StartAsync(GitHostApi.GitHub);
        var runtime = await world.RuntimeAsync(extra: new Dictionary<string, string?>
        {
            ["GitOps:Repositories:app:PullRequestToken"] = github.Token,
            ["GitOps:Repositories:app:PullRequestApiUrl"] = github.ApiUrl.ToString(),
        });
        var (_, applied) = await runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(base0)), 1);
        Assert.Equal(RunOutcome.Applied, applied!.Outcome);

        // A resource group that exists in Azure, with a value nobody declared, that no environment manages.
        world.Arm.State.Seed(new JsonObject
        {
            ["id"] = $"/subscriptions/{world.SubscriptionId}/resourceGroups/rg-probe",
            ["name"] = "rg-probe",
            ["type"] = "Microsoft.Resources/resourceGroups",
            ["location"] = "westeurope",
            ["tags"] = new JsonObject { ["owner"] = LiveSecret },
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        });
        return new Setup(world, runtime, await ApiServer.StartAsync(runtime), github, await AlertReceiver.StartAsync());
    }

    /// <summary>A head only <c>refs/pull/7/head</c> holds, as a fork's head is on GitHub: the branch that made it is deleted.</summary>
    private static string ForkHead(TestWorld world, string tag, bool probe = true)
    {
        var repo = world.Repository;
        repo.CreateBranch("fork-work-" + tag);
        world.WriteResourceGroup("envs/dev", "rg-dev", tag: tag);
        if (probe)
        {
            world.WriteResourceGroup("envs/dev", "rg-probe", tag: "a-guess");
        }

        var head = repo.Commit("from a fork: " + tag);
        repo.Git("update-ref", $"refs/pull/{Number}/head", head);
        repo.Checkout("main");
        repo.Git("branch", "-D", "fork-work-" + tag);
        return head;
    }

    /// <summary>The octokit <c>pull_request</c> example with our repository, number, head and a fork's clone URL, signed.</summary>
    private static (byte[] Body, Dictionary<string, string> Headers) Delivery(Setup setup, string action, string head)
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "tests", "GitOps.Testing", "testdata", "pull-requests", $"github-pull-request-{(action == "opened" ? "opened" : "synchronize")}.json")))!;
        var body = JsonNode.Parse(sample["body"]!.GetValue<string>())!.AsObject();
        body["action"] = action;
        body["number"] = Number;
        var pr = body["pull_request"]!;
        pr["number"] = Number;
        pr["head"]!["sha"] = head;
        pr["head"]!["ref"] = "feature";
        pr["head"]!["repo"]!["full_name"] = "mallory/app-config";
        pr["head"]!["repo"]!["clone_url"] = setup.Fork.Url("/mallory/app-config.git").ToString();
        pr["base"]!["ref"] = "main";
        pr["base"]!["repo"]!["full_name"] = FullName;
        body["repository"]!["full_name"] = FullName;
        body["repository"]!["clone_url"] = setup.World.Repository.Url;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        return (bytes, Deliveries.GitHubHeaders(bytes, TestWorld.WebhookSecret, @event: "pull_request"));
    }

    /// <summary>Sends a delivery and runs every message the queue then holds, as the reconcile function would, until it is empty.</summary>
    private static async Task<List<RunRecord>> DeliverAndDrainAsync(Setup setup, string action, string head)
    {
        var (body, headers) = Delivery(setup, action, head);
        using var response = await setup.Server.Client.SendAsync(Deliveries.Request(body, headers));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await DrainAsync(setup.Runtime);
    }

    private static async Task<List<RunRecord>> DrainAsync(GitOpsRuntime runtime)
    {
        var runs = new List<RunRecord>();
        for (var i = 0; i < 20; i++)
        {
            var messages = await runtime.Storage.Queue.ReceiveMessagesAsync(8, TimeSpan.FromSeconds(30));
            if (messages.Count == 0)
            {
                return runs;
            }

            foreach (var message in messages)
            {
                var (disposition, run) = await runtime.Reconcile.RunAsync(message.Text!, 1);
                Assert.Equal(Handlers.MessageDisposition.Complete, disposition);
                await runtime.Storage.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                if (run is not null)
                {
                    runs.Add(run);
                }
            }
        }

        throw new InvalidOperationException("The queue did not drain.");
    }

    [Fact]
    public async Task A_Pull_Request_That_Relaxes_The_Policy_Is_Previewed_Against_The_Default_Branchs_Rules()
    {
        // The PR author edits gitops.policy.yaml in the same change; the preview still checks the rules of main.
        await using var setup = await SetupAsync();
        var repo = setup.World.Repository;
        repo.WriteFile("gitops.policy.yaml", "version: 1\nrules:\n  - name: only-north-europe\n    severity: deny\n    allowedLocations: [ northeurope ]\n");
        repo.Commit("policy: north europe only");
        repo.CreateBranch("fork-relax");
        repo.WriteFile("gitops.policy.yaml", "version: 1\nrules: []\n");
        setup.World.WriteResourceGroup("envs/dev", "rg-dev", tag: "relaxed");
        var head = repo.Commit("from a fork: drop the rule");
        repo.Git("update-ref", $"refs/pull/{Number}/head", head);
        repo.Checkout("main");
        var writesBefore = setup.World.Writes().Count;

        var previews = await DeliverAndDrainAsync(setup, "opened", head);

        // A change to a file at the root previews every environment; each is denied by main's rule, none is written.
        Assert.Equal(["dev", "prod"], previews.Select(p => p.Environment).Order(StringComparer.Ordinal));
        Assert.All(previews, p =>
        {
            Assert.Equal((RunTrigger.Preview, RunOutcome.PolicyDenied), (p.Trigger, p.Outcome));
            Assert.Contains("only-north-europe", p.Summary, StringComparison.Ordinal);
        });
        Assert.Equal(writesBefore, setup.World.Writes().Count);
        Assert.DoesNotContain(setup.GitHub.Statuses, s => s.State == "success");
    }

    [Fact]
    public async Task A_Fork_Pull_Request_Is_Previewed_Published_And_Updated_In_Place_And_Nothing_Is_Written()
    {
        await using var setup = await SetupAsync();
        var stateBefore = (await setup.Runtime.Storage.States.GetAsync("app/dev"))!.Value.State;
        var writesBefore = setup.World.Writes().Count;
        var head = ForkHead(setup.World, "from-pr");

        var runs = await DeliverAndDrainAsync(setup, "opened", head);

        // One preview, of dev only (prod's folder is untouched), of the fork's head, recorded as a preview run.
        var preview = Assert.Single(runs);
        Assert.Equal((RunTrigger.Preview, RunOutcome.Previewed, "dev", head), (preview.Trigger, preview.Outcome, preview.Environment, preview.Commit!.Sha));
        Assert.Equal(Number, preview.PullRequest!.Number);
        var update = Assert.Single(preview.Plan!.Changes, c => c.Id.EndsWith("/rg-dev", StringComparison.Ordinal));
        Assert.Equal(PlanAction.Update, update.Action);
        Assert.Contains(update.Diffs, d => d.Path == "/tags/owner" && d.Desired!.GetValue<string>() == "from-pr" && d.Live!.GetValue<string>() == "platform");

        // Item 4: the resource this environment does not manage shows no live value, no diff, not even whether it exists.
        var probe = Assert.Single(preview.Plan.Changes, c => c.Id.EndsWith("/rg-probe", StringComparison.Ordinal));
        Assert.True(probe.LiveHidden);
        Assert.Equal(PlanAction.Create, probe.Action);
        Assert.Empty(probe.Diffs);

        // Nothing written to ARM, the environment's state untouched, the fork's URL never contacted.
        Assert.Equal(writesBefore, setup.World.Writes().Count);
        var stateAfter = (await setup.Runtime.Storage.States.GetAsync("app/dev"))!.Value.State;
        Assert.Equal((stateBefore.LastApplied!.Sha, stateBefore.LastRunId), (stateAfter.LastApplied!.Sha, stateAfter.LastRunId));
        Assert.Empty(setup.Fork.Requests);

        // On the pull request: one comment of ours, with dev's plan and no live value of the probe; statuses pending then success.
        var ours = Assert.Single(setup.GitHub.OurComments(Number));
        Assert.StartsWith(PreviewComment.Marker, ours.Body, StringComparison.Ordinal);
        Assert.Contains("`dev`", ours.Body, StringComparison.Ordinal);
        Assert.Contains("\"from-pr\"", ours.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(LiveSecret, ours.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("`prod`", ours.Body, StringComparison.Ordinal);
        Assert.Equal(
            [(head, "gitops/dev", "pending"), (head, "gitops/dev", "success")],
            setup.GitHub.Statuses.Select(s => (s.Target, s.Context, s.State)).ToArray());
        Assert.DoesNotContain(LiveSecret, RunJson.Serialize(preview), StringComparison.Ordinal);

        // The pull request's author posts a comment carrying our marker; the next push updates our comment, not theirs.
        var planted = setup.GitHub.AddComment(Number, "mallory", "666", PreviewComment.Marker + "\nI am the bot now.");
        var head2 = ForkHead(setup.World, "second-push");
        var second = Assert.Single(await DeliverAndDrainAsync(setup, "synchronize", head2));

        Assert.Equal(head2, second.Commit!.Sha);
        var updated = Assert.Single(setup.GitHub.OurComments(Number));
        Assert.Equal(ours.Id, updated.Id);
        Assert.True(updated.Edits >= 2);
        Assert.Contains("\"second-push\"", updated.Body, StringComparison.Ordinal);
        Assert.Equal(planted, setup.GitHub.Comments[Number].Single(c => c.Login == "mallory"));
        Assert.All(setup.GitHub.Requests, r => Assert.True(r.Status is 200 or 201, $"{r.Method} {r.Target} answered {r.Status}"));
        Assert.Equal(writesBefore, setup.World.Writes().Count);
    }

    [Fact]
    public async Task The_Run_That_Applies_The_Merge_Says_Whether_It_Did_What_The_Preview_Showed()
    {
        await using var setup = await SetupAsync();
        var head = ForkHead(setup.World, "merged", probe: false);
        Assert.Single(await DeliverAndDrainAsync(setup, "opened", head));

        // Merged as it was previewed: a merge commit whose second parent is the previewed head.
        setup.World.Repository.Git("merge", "-q", "--no-ff", "-m", "Merge pull request #7", head);
        var merge = setup.World.Repository.Head();
        var (_, run) = await setup.Runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(merge)), 1);

        Assert.Equal(RunOutcome.Applied, run!.Outcome);
        Assert.NotNull(run.Preview);
        Assert.True(run.Preview.Matches);
        Assert.Equal((Number, head, "merge"), (run.Preview.PullRequest, run.Preview.HeadSha, run.Preview.Relation));
        var stored = (await setup.Runtime.Storage.Runs.GetAsync(run.RunId))!;
        Assert.True(stored.Preview!.Matches);
        Assert.Contains("Merged as shown", stored.Summary, StringComparison.Ordinal);
        var page = Http.StatusPage.RunPage.Render(stored, DateTimeOffset.UtcNow);
        Assert.Contains("id=\"preview\" class=\"preview-match\"", page, StringComparison.Ordinal);

        // Previewed, then live state moved before the merge: the run says it differs.
        var head2 = ForkHead(setup.World, "moved", probe: false);
        Assert.Single(await DeliverAndDrainAsync(setup, "synchronize", head2));
        setup.World.Arm.State.SetOutOfBand($"/subscriptions/{setup.World.SubscriptionId}/resourceGroups/rg-dev", new JsonObject { ["tags"] = new JsonObject { ["owner"] = "moved", ["extra"] = "someone" } });
        setup.World.Repository.Git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 again", head2);
        var (_, moved) = await setup.Runtime.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(setup.World.Repository.Head())), 1);

        Assert.NotNull(moved!.Preview);
        Assert.False(moved.Preview.Matches);
        Assert.Contains("Differs from the preview", moved.Summary, StringComparison.Ordinal);
        Assert.Contains("preview-differs", Http.StatusPage.RunPage.Render(moved, DateTimeOffset.UtcNow), StringComparison.Ordinal);
    }
}
