using System.Text.Json.Nodes;
using GitOps.Core.Inventory;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using Moq;

namespace GitOps.Core.Tests.Previews;

public sealed class PreviewUnitTests
{
    private const string Managed = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app";
    private const string Foreign = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-someone-elses";

    private static RecordedPlan Plan(string foreignLive = "live-secret-value") => new()
    {
        Environment = "dev",
        Changes =
        [
            new RecordedChange { Id = Managed, Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2021-04-01", Action = PlanAction.Update, Diffs = [new RecordedDiff("/tags/owner", JsonValue.Create("new"), JsonValue.Create("old"))] },
            new RecordedChange { Id = Foreign, Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2021-04-01", Action = PlanAction.Update, Diffs = [new RecordedDiff("/tags/owner", JsonValue.Create("guess"), JsonValue.Create(foreignLive))] },
        ],
        Summary = new PlanSummary(0, 2, 0, 0, 0, 0),
    };

    private static ResourceInventory Inventory() => new([new InventoryEntry(Managed, "Microsoft.Resources/resourceGroups", "2021-04-01", "digest", [])]);

    [Fact]
    public void A_Resource_Outside_The_Inventory_Shows_No_Live_Value_No_Diff_And_Not_Whether_It_Exists()
    {
        var redacted = PreviewRedaction.Apply(Plan(), Inventory());

        var managed = redacted.Changes.Single(c => c.Id == Managed);
        Assert.False(managed.LiveHidden);
        Assert.Equal("old", managed.Diffs.Single().Live!.GetValue<string>());
        var foreign = redacted.Changes.Single(c => c.Id == Foreign);
        Assert.True(foreign.LiveHidden);
        Assert.Equal(PlanAction.Create, foreign.Action);
        Assert.Empty(foreign.Diffs);
        Assert.Equal(new PlanSummary(1, 1, 0, 0, 0, 0), redacted.Summary);

        var markdown = PreviewMarkdown.Section("dev", RunOutcome.Previewed, "s", redacted, [], [], "run-1");
        Assert.DoesNotContain("live-secret-value", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("guess", markdown, StringComparison.Ordinal);
        Assert.Contains("\"old\"", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Noop_Of_A_Foreign_Resource_Reads_The_Same_As_A_Difference_So_A_Guess_Cannot_Be_Tested()
    {
        var equal = Plan() with { Changes = [Plan().Changes[1] with { Action = PlanAction.Noop, Diffs = [] }] };
        var differs = Plan() with { Changes = [Plan().Changes[1]] };
        var absent = Plan() with { Changes = [Plan().Changes[1] with { Action = PlanAction.Create, Diffs = [] }] };

        var shown = new[] { equal, differs, absent }.Select(p => PreviewMarkdown.Section("dev", RunOutcome.Previewed, "s", PreviewRedaction.Apply(p, Inventory()), [], [], "run-1")).Distinct().ToList();

        Assert.Single(shown);
    }

    [Fact]
    public void The_Plan_Hash_Follows_What_Changes_Not_Live_Values_And_Counts_Secrets_By_Path()
    {
        var hash = PlanHash.Of(Plan());

        Assert.StartsWith("sha256:", hash, StringComparison.Ordinal);
        Assert.Equal(hash, PlanHash.Of(Plan(foreignLive: "another live value")));
        Assert.NotEqual(hash, PlanHash.Of(Plan() with { Changes = [Plan().Changes[0]] }));
        var secretA = Plan() with { Changes = [Plan().Changes[0] with { Diffs = [new RecordedDiff("/properties/password", JsonValue.Create("gitops-secret:a"), null, Redacted: true)] }] };
        var secretB = Plan() with { Changes = [Plan().Changes[0] with { Diffs = [new RecordedDiff("/properties/password", JsonValue.Create("gitops-secret:a#version=2"), null, Redacted: true)] }] };
        Assert.Equal(PlanHash.Of(secretA), PlanHash.Of(secretB));
    }

    [Fact]
    public async Task The_Previews_Arm_Client_Refuses_Every_Write_Before_Any_Request()
    {
        var inner = new Mock<IArmResourceClient>(MockBehavior.Strict);
        var client = new ReadOnlyArmClient(inner.Object);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CreateOrUpdateAsync(Managed, "2021-04-01", new JsonObject()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.DeleteAsync(Managed, "2021-04-01"));
        inner.VerifyNoOtherCalls();
    }

    [Fact]
    public void A_Reconcile_Job_Claiming_The_Preview_Trigger_Is_Refused()
    {
        var job = ReconcileJobJson.Serialize(ReconcileJob.Create("app", "dev", RunTrigger.Push, null, DateTimeOffset.UtcNow)).Replace("\"push\"", "\"preview\"", StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => ReconcileJobJson.Parse(job));
        Assert.Throws<FormatException>(() => ReconcileJobJson.Parse(job.Replace("\"preview\"", "\"5\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Preview_And_Pull_Request_Jobs_Round_Trip_And_Are_Told_Apart()
    {
        var pr = new PullRequestRef { Provider = "gitlab", Number = 42, HeadSha = new string('a', 40), TargetBranch = "main", FromFork = true, Author = "alice" };
        var preview = new PreviewJob { JobId = "j1", Repository = "app", Environment = "dev", PullRequest = pr, Environments = ["dev", "prod"], EnqueuedAt = DateTimeOffset.UnixEpoch };
        var fanOut = new PullRequestJob { JobId = "j2", Repository = "app", PullRequest = pr, EnqueuedAt = DateTimeOffset.UnixEpoch };

        var previewText = PreviewJobJson.ToQueueText(PreviewJobJson.Serialize(preview));
        var parsed = PreviewJobJson.TryParsePreview(previewText)!;
        Assert.Equal((preview.JobId, preview.Environment, pr), (parsed.JobId, parsed.Environment, parsed.PullRequest));
        Assert.Equal(["dev", "prod"], parsed.Environments);
        Assert.Null(PreviewJobJson.TryParsePullRequest(previewText));
        Assert.Equal(pr, PreviewJobJson.TryParsePullRequest(PreviewJobJson.Serialize(fanOut))!.PullRequest);
        Assert.Null(PushJobJson.TryParse(previewText));
        Assert.Throws<FormatException>(() => PreviewJobJson.TryParsePreview(PreviewJobJson.Serialize(preview).Replace("\"number\":42", "\"number\":-1", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_Comment_Starts_With_The_Marker_Lists_Pending_Environments_And_Escapes_Repository_Text()
    {
        var head = new PreviewHead
        {
            Repository = "app",
            PullRequest = new PullRequestRef { Provider = "github", Number = 3, HeadSha = new string('c', 40), TargetBranch = "main" },
            Environments = ["dev", "prod"],
            DefinitionsSha = new string('d', 40),
            At = DateTimeOffset.UnixEpoch,
        };
        var dev = PreviewMarkdown.Section("dev", RunOutcome.Invalid, "bad --> <script>", null, ["envs/dev/a.yaml:1:1 error | `x`"], [], "run-2");

        var comment = PreviewMarkdown.Comment(head, new Dictionary<string, string> { ["dev"] = dev }, "main");

        Assert.StartsWith(PreviewComment.Marker, comment, StringComparison.Ordinal);
        Assert.Contains("### ❌ `dev`: invalid", comment, StringComparison.Ordinal);
        Assert.Contains("### ⏳ `prod`: previewing", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("-->", comment[PreviewComment.Marker.Length..], StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", comment, StringComparison.Ordinal);
    }
}
