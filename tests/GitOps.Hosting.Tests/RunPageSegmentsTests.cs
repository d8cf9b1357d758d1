using GitOps.Core.Apply;
using GitOps.Core.Planning;
using GitOps.Core.Runs;
using GitOps.Hosting.Http.StatusPage;

namespace GitOps.Hosting.Tests;

/// <summary>Issue 19: a run done in segments is one run page with its segments; counted no-ops and unlisted entries say so and link the full plan.</summary>
public sealed class RunPageSegmentsTests
{
    [Fact]
    public void A_Run_In_Segments_Shows_Each_Segment_The_Counts_And_A_Link_To_The_Full_Plan()
    {
        var started = DateTimeOffset.Parse("2026-12-01T10:00:00Z");
        var run = new RunRecord
        {
            RunId = "7980000000000000000-0a1b2c3d",
            Repository = "platform",
            Environment = "big",
            Trigger = RunTrigger.Push,
            StartedAt = started,
            FinishedAt = started.AddMinutes(17),
            Outcome = RunOutcome.Applied,
            Summary = "Applied 1234567: 10,010 write(s).",
            Plan = new RecordedPlan
            {
                Environment = "big",
                Changes = [new RecordedChange { Id = "/subscriptions/s/resourceGroups/rg", Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2024-03-01", Action = PlanAction.Create }],
                Unlisted = 9_809,
                Summary = new PlanSummary(Create: 9_810, Update: 0, Delete: 0, Detach: 0, Noop: 200, Drift: 0),
            },
            Results = [new ResourceResult("/subscriptions/s/resourceGroups/rg", PlanAction.Create, ResourceOutcome.Succeeded)],
            ResultCounts = new ResultCounts(9_810, 0, 0, 9_809),
            Segments =
            [
                new RunSegment { Number = 1, StartedAt = started, EndedAt = started.AddMinutes(5), End = RunSegmentEnd.Continued, Observed = 8_000, Summary = "Segment 1: observed 8,000 resource(s), 0 write(s)." },
                new RunSegment { Number = 2, StartedAt = started.AddMinutes(6), EndedAt = started.AddMinutes(9), End = RunSegmentEnd.Interrupted, Observed = 2_010, Writes = 1_500, Summary = "Segment 2: interrupted." },
                new RunSegment { Number = 3, StartedAt = started.AddMinutes(12), EndedAt = started.AddMinutes(17), End = RunSegmentEnd.Finished, Observed = 250, Reobserved = 250, Writes = 8_510, Summary = "Segment 3: finished." },
            ],
            FullPlan = "plans/platform/big/7980000000000000000-0a1b2c3d.json",
        };

        var html = RunPage.Render(run, started.AddHours(1), "?code=k");

        Assert.Equal(3, html.Split("<tr class=\"segment\">").Length - 1);
        Assert.Contains(">interrupted<", html, StringComparison.Ordinal);
        Assert.Contains("250 read again", html, StringComparison.Ordinal);
        Assert.Contains("200 unchanged resource(s) counted, not listed; 9,809 more change(s) not listed.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/runs/7980000000000000000-0a1b2c3d/plan?code=k\"", html, StringComparison.Ordinal);
        Assert.Contains("9,810 succeeded, 0 failed, 0 skipped; 9,809 not listed here", html, StringComparison.Ordinal);
    }
}
