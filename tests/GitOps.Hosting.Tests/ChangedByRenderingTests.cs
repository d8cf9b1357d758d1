using GitOps.Core.Alerts;
using GitOps.Core.Events;
using GitOps.Core.Runs;
using GitOps.Hosting.Alerts;
using GitOps.Hosting.Http.StatusPage;

namespace GitOps.Hosting.Tests;

/// <summary>Who changed Azure outside git, on the run page and in alerts; the names come from forgeable events.</summary>
public sealed class ChangedByRenderingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 3, 14, TimeSpan.Zero);
    private const string Hostile = "<script>alert('x')</script>@contoso.com";
    private const string Group = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-a";

    private static RunRecord Run(ChangeActor actor) => new()
    {
        RunId = "0001",
        Repository = "app",
        Environment = "dev",
        Trigger = RunTrigger.Drift,
        StartedAt = Now,
        FinishedAt = Now,
        Outcome = RunOutcome.DriftDetected,
        Summary = "Drift detected in 1 resource(s). Changed out of band by x.",
        ChangedBy = [new ChangeAttribution(Group, actor, ChangeKind.Write, "Microsoft.Resources/subscriptions/resourceGroups/write", "corr-7", Now.AddSeconds(-3), ChangeAttribution.EventSource)],
        Plan = RecordedPlan.From(new GitOps.Core.Planning.PlanResult("dev", [new GitOps.Core.Planning.ResourceChange { Id = Group, Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2021-04-01", Action = GitOps.Core.Planning.PlanAction.Drift }], [])),
        Scope = new RecordedScope("1 out-of-band change(s) reported by ARM events", 2, [new ScopedResource(Group, "changed")], 1, [Group + "x"], 1),
    };

    [Fact]
    public void The_Run_Page_Lists_The_Actor_Operation_Correlation_And_What_Was_Observed_Encoded()
    {
        var html = RunPage.Render(Run(new ChangeActor(Hostile, ClientTypes.PortalAppId, "oid-1", "User", "portal")), Now);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"changed-by\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("@contoso.com (portal)</span>", html, StringComparison.Ordinal);
        Assert.Contains("Microsoft.Resources/subscriptions/resourceGroups/write", html, StringComparison.Ordinal);
        Assert.Contains("corr-7", html, StringComparison.Ordinal);
        Assert.Contains("id=\"scope\"", html, StringComparison.Ordinal);
        Assert.Contains("not declared (ignored)", html, StringComparison.Ordinal);
        Assert.Contains("1 declared resource(s) observed, 1 not declared here (ignored).", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Drift_Alert_Names_The_Actor_As_A_Fact_And_In_The_Generic_Body()
    {
        var run = Run(new ChangeActor("alice@contoso.com", ClientTypes.PortalAppId, "oid-1", "User", "portal"));
        var alert = Assert.Single(AlertRules.Evaluate(EnvironmentState.New("app", "dev"), run), a => a.Kind == AlertKind.DriftDetected);

        Assert.Equal("alice@contoso.com (portal)", alert.ChangedBy);
        Assert.Equal("alice@contoso.com (portal)", AlertPayloads.Webhook(alert)["changedBy"]!.GetValue<string>());
        Assert.Contains("Changed by: alice@contoso.com (portal)", AlertPayloads.Slack(alert).ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("\"title\":\"Changed by\",\"value\":\"alice@contoso.com (portal)\"", AlertPayloads.Teams(alert).ToJsonString(), StringComparison.Ordinal);

        var timer = run with { ChangedBy = [ChangeAttribution.Unattributed(Group)] };
        Assert.Equal("an unknown actor", Assert.Single(AlertRules.Evaluate(EnvironmentState.New("app", "dev"), timer), a => a.Kind == AlertKind.DriftDetected).ChangedBy);
        Assert.Null(AlertPayloads.Webhook(alert with { ChangedBy = null })["changedBy"]);
    }
}
