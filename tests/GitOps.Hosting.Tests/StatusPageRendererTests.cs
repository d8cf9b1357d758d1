using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Runs;
using GitOps.Hosting.Http.StatusPage;

namespace GitOps.Hosting.Tests;

public sealed class StatusPageRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private const string Hostile = "<script>alert('x')</script> & \"quoted\"";

    private static Condition Ready(ConditionStatus status, string reason) => new(Conditions.Ready, status, reason, "msg", Now);

    private static EnvironmentState State(string env, params Condition[] conditions) =>
        EnvironmentState.New("app", env) with { Conditions = conditions };

    public static TheoryData<string, string> States() => new()
    {
        { "synced", "in sync" },
        { "drifted", "drifted" },
        { "drift-outcome", "drifted" },
        { "failed", "failing" },
        { "invalid", "failing" },
        { "suspended", "suspended" },
        { "suspended-outcome", "suspended" },
        { "queued", "reconciling" },
        { "new", "unknown" },
    };

    private static EnvironmentState Example(string name) => name switch
    {
        "synced" => State(name, Ready(ConditionStatus.True, Conditions.ReconciliationSucceeded)),
        "drifted" => State(name, Ready(ConditionStatus.True, Conditions.ReconciliationSucceeded), new Condition(Conditions.Drifted, ConditionStatus.True, Conditions.DriftDetected, "1 differs", Now)),
        "drift-outcome" => State(name, Ready(ConditionStatus.False, Conditions.DriftDetected)) with { LastOutcome = RunOutcome.DriftDetected },
        "failed" => State(name, Ready(ConditionStatus.False, Conditions.ReconciliationFailed)),
        "invalid" => State(name) with { LastOutcome = RunOutcome.Invalid },
        "suspended" => State(name, Ready(ConditionStatus.False, Conditions.ReconciliationFailed)) with { Suspension = new Suspension("incident", "alice", Now, null) },
        "suspended-outcome" => State(name, Ready(ConditionStatus.Unknown, Conditions.SuspendedByUser)) with { LastOutcome = RunOutcome.Suspended },
        "queued" => State(name, Ready(ConditionStatus.True, Conditions.ReconciliationSucceeded)) with { DriftPendingSince = Now },
        _ => State(name),
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Every_State_Is_Derived_And_Labelled(string example, string label)
    {
        var state = Example(example);
        Assert.Equal(label, EnvironmentStatusRules.Of(state).Label());

        var html = OverviewPage.Render([state], [], Now);
        var slug = label.Replace(' ', '-');
        Assert.Contains($"<span class=\"state state-{slug}\" data-state=\"{slug}\">{label}</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_Commit_Messages_Names_And_Summaries_Are_Encoded_Everywhere()
    {
        var commit = new CommitInfo(new string('a', 40), Hostile, null, Now, Hostile + "\nsecond line <b>");
        var state = Example("synced") with { LastApplied = commit, LastAppliedAt = Now, LastRunId = "run-<1>", LastOutcome = RunOutcome.Applied, LastRunAt = Now };
        var run = new RunRecord
        {
            RunId = "run-<1>",
            Repository = "app",
            Environment = "synced",
            Trigger = RunTrigger.Manual,
            RequestedBy = Hostile,
            StartedAt = Now,
            Commit = commit,
            Outcome = RunOutcome.Failed,
            Summary = Hostile,
            Errors = [Hostile],
            Plan = Plan(("/properties/<x>", JsonValue.Create(Hostile), null, false)),
            Results = [new ResourceResult("/subscriptions/s/<id>", PlanAction.Update, ResourceOutcome.Failed, "Bad<Code>", Hostile)],
        };

        foreach (var html in new[] { OverviewPage.Render([state], [run], Now), RunPage.Render(run, Now) })
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<x>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<1>", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;", html, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"/api/status/runs/run-%3C1%3E\"", OverviewPage.Render([state], [run], Now), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Page_Shows_Field_Diffs_Live_To_Desired_And_Hides_Secrets()
    {
        var run = new RunRecord
        {
            RunId = "r1",
            Repository = "app",
            Environment = "dev",
            Trigger = RunTrigger.Push,
            StartedAt = Now,
            Outcome = RunOutcome.Applied,
            Plan = Plan(("/tags/owner", JsonValue.Create("team-a"), JsonValue.Create("platform"), false), ("/properties/password", null, null, true), ("/tags/new", JsonValue.Create(1), null, false)),
            Results = [new ResourceResult("/subscriptions/s/resourceGroups/rg", PlanAction.Update, ResourceOutcome.Succeeded, Duration: TimeSpan.FromSeconds(1.5))],
        };

        var html = RunPage.Render(run, Now, "?code=k%26");

        Assert.Contains("<td class=\"path\"><code>/tags/owner</code></td><td class=\"live\"><code>&quot;platform&quot;</code></td><td class=\"desired\"><code>&quot;team-a&quot;</code></td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"live\"><span class=\"secret\">(secret)</span></td><td class=\"desired\"><span class=\"secret\">(secret)</span></td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"live\"><span class=\"muted\">(absent)</span></td><td class=\"desired\"><code>1</code></td>", html, StringComparison.Ordinal);
        Assert.Contains("1.50 s", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/status?code=k%26\"", html, StringComparison.Ordinal);
        Assert.Contains("1 update", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_Overview_And_Planless_Run_Say_So()
    {
        Assert.Contains("No environment has been reconciled yet.", OverviewPage.Render([], [], Now), StringComparison.Ordinal);
        var html = RunPage.Render(new RunRecord { RunId = "r", Repository = "app", Environment = "dev", Trigger = RunTrigger.Drift, StartedAt = Now, Outcome = RunOutcome.Invalid }, Now);
        Assert.Contains("No plan was made.", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was applied.", html, StringComparison.Ordinal);
    }

    private static RecordedPlan Plan(params (string Path, JsonNode? Desired, JsonNode? Live, bool Redacted)[] diffs) => new()
    {
        Environment = "dev",
        Changes =
        [
            new RecordedChange
            {
                Id = "/subscriptions/s/resourceGroups/rg",
                Type = "Microsoft.Resources/resourceGroups",
                ApiVersion = "2021-04-01",
                Action = PlanAction.Update,
                Diffs = diffs.Select(d => new RecordedDiff(d.Path, d.Desired, d.Live, d.Redacted)).ToList(),
            },
        ],
        Summary = new PlanSummary(Create: 0, Update: 1, Delete: 0, Detach: 0, Noop: 0, Drift: 0),
    };
}
