using System.Text.Json.Nodes;
using GitOps.Core.Alerts;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Alerts;

public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static int s_runs;

    private static RunRecord Run(RunOutcome outcome, string summary = "something happened", RecordedPlan? plan = null, params string[] errors) => new()
    {
        RunId = $"run-{Interlocked.Increment(ref s_runs):D4}",
        Repository = "app",
        Environment = "dev",
        Trigger = RunTrigger.Push,
        RequestedCommit = "0123456789abcdef0123456789abcdef01234567",
        StartedAt = s_t0,
        FinishedAt = s_t0.AddSeconds(5),
        Outcome = outcome,
        Summary = summary,
        Plan = plan,
        Errors = errors,
    };

    private static EnvironmentState After(EnvironmentState state, RunRecord run) => EnvironmentStateUpdate.After(state, run, applied: null);

    private static EnvironmentState Fresh => EnvironmentState.New("app", "dev");

    [Fact]
    public void A_Failed_Run_After_A_Success_Raises_RunFailed_With_Its_Errors()
    {
        var ok = After(Fresh, Run(RunOutcome.Applied));
        var failed = Run(RunOutcome.Failed, "1 of 2 changes failed.", null, "PUT rg-dev: 400 InvalidTemplate");

        var alert = Assert.Single(AlertRules.Evaluate(ok, failed));

        Assert.Equal(AlertKind.RunFailed, alert.Kind);
        Assert.Equal("app/dev", alert.Environment);
        Assert.Equal(failed.RunId, alert.RunId);
        Assert.Equal(failed.RequestedCommit, alert.Commit);
        Assert.Contains("1 of 2 changes failed.", alert.Summary, StringComparison.Ordinal);
        Assert.Equal(["PUT rg-dev: 400 InvalidTemplate"], alert.Details);
    }

    [Fact]
    public void Repeated_Failures_For_The_Same_Reason_Alert_Once_And_A_New_Reason_Alerts_Again()
    {
        var state = After(Fresh, Run(RunOutcome.Applied));
        var first = Run(RunOutcome.Failed);
        Assert.Single(AlertRules.Evaluate(state, first));
        state = After(state, first);

        var second = Run(RunOutcome.Failed);
        Assert.Empty(AlertRules.Evaluate(state, second));
        state = After(state, second);

        var invalid = Run(RunOutcome.Invalid);
        Assert.Equal(AlertKind.RunFailed, Assert.Single(AlertRules.Evaluate(state, invalid)).Kind);
        state = After(state, invalid);

        var recovered = Run(RunOutcome.Applied);
        Assert.Empty(AlertRules.Evaluate(state, recovered));
        state = After(state, recovered);
        Assert.Single(AlertRules.Evaluate(state, Run(RunOutcome.PolicyDenied)));
    }

    [Fact]
    public void A_First_Ever_Run_That_Fails_Alerts_And_Successes_And_Superseded_Runs_Do_Not()
    {
        Assert.Single(AlertRules.Evaluate(Fresh, Run(RunOutcome.Invalid)));
        Assert.Empty(AlertRules.Evaluate(Fresh, Run(RunOutcome.Applied)));
        Assert.Empty(AlertRules.Evaluate(Fresh, Run(RunOutcome.NoChanges)));
        Assert.Empty(AlertRules.Evaluate(Fresh, Run(RunOutcome.Superseded)));
        Assert.Empty(AlertRules.Evaluate(Fresh, Run(RunOutcome.Suspended)));
    }

    private static RecordedPlan DriftPlan() => new()
    {
        Environment = "dev",
        Changes =
        [
            new RecordedChange
            {
                Id = "/subscriptions/s/resourceGroups/rg-dev",
                Type = "Microsoft.Resources/resourceGroups",
                ApiVersion = "2024-03-01",
                Action = PlanAction.Drift,
                Diffs = [new RecordedDiff("tags.owner", JsonValue.Create("platform"), JsonValue.Create("someone"))],
            },
            new RecordedChange { Id = "/subscriptions/s/resourceGroups/rg-ok", Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2024-03-01", Action = PlanAction.Noop },
        ],
        Summary = new PlanSummary(0, 0, 0, 0, 1, 1),
    };

    [Fact]
    public void Drift_In_Detect_Mode_Alerts_When_It_Appears_With_Resource_Ids_And_Paths_But_No_Values()
    {
        var state = After(Fresh, Run(RunOutcome.NoChanges));
        var drift = Run(RunOutcome.DriftDetected, "1 resource differs.", DriftPlan());

        var alert = Assert.Single(AlertRules.Evaluate(state, drift));

        Assert.Equal(AlertKind.DriftDetected, alert.Kind);
        Assert.Equal(["/subscriptions/s/resourceGroups/rg-dev: tags.owner"], alert.Details);
        Assert.DoesNotContain("someone", string.Join(" ", alert.Details) + alert.Summary, StringComparison.Ordinal);

        state = After(state, drift);
        Assert.Empty(AlertRules.Evaluate(state, Run(RunOutcome.DriftDetected, "still", DriftPlan())));

        var fixedRun = Run(RunOutcome.NoChanges);
        state = After(state, fixedRun);
        Assert.Single(AlertRules.Evaluate(state, Run(RunOutcome.DriftDetected, "back", DriftPlan())));
    }

    [Fact]
    public void Poisoned_Job_Alert_Carries_The_Run_And_Its_Summary()
    {
        var run = Run(RunOutcome.Failed, "Gave up on job j1 after 5 deliveries.", null, "The job failed on every delivery and was poisoned.");

        var alert = AlertRules.Poisoned(run);

        Assert.Equal(AlertKind.JobPoisoned, alert.Kind);
        Assert.Equal(run.RunId, alert.RunId);
        Assert.Contains("Gave up on job j1", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Suspension_Past_Its_End_Alerts_Once_And_A_Later_Suspension_Alerts_Again()
    {
        var until = s_t0.AddHours(2);
        var state = Fresh with { Suspension = new Suspension("incident 42", "alice", s_t0, until) };

        Assert.Null(AlertRules.SuspensionOverdue(state, state.Suspension, until.AddMinutes(-1)));
        var alert = AlertRules.SuspensionOverdue(state, state.Suspension, until.AddMinutes(1));
        Assert.NotNull(alert);
        Assert.Equal(AlertKind.SuspensionOverdue, alert.Kind);
        Assert.Contains("Reason: incident 42", alert.Details);

        state = state with { SuspensionOverdueAlertedAt = until.AddMinutes(1) };
        Assert.Null(AlertRules.SuspensionOverdue(state, state.Suspension, until.AddHours(5)));

        var later = new Suspension("change freeze", "gitops.yaml", null, until.AddHours(8));
        Assert.NotNull(AlertRules.SuspensionOverdue(state, later, until.AddHours(9)));
        Assert.Null(AlertRules.SuspensionOverdue(Fresh, new Suspension("open-ended", "carol", s_t0, null), s_t0.AddDays(30)));
        Assert.Null(AlertRules.SuspensionOverdue(Fresh, null, s_t0.AddDays(30)));
    }

    [Fact]
    public void Alert_Details_Are_Bounded()
    {
        var run = Run(RunOutcome.Failed, "many", null, Enumerable.Range(0, 50).Select(i => $"error {i}").ToArray());

        Assert.Equal(AlertRules.MaxDetails, Assert.Single(AlertRules.Evaluate(Fresh, run)).Details.Count);
    }

    private static RunRecord DriftRun(RunOutcome outcome, params (string Id, PlanAction Action)[] changes) => Run(outcome, "drift check") with
    {
        Trigger = RunTrigger.Drift,
        Plan = new RecordedPlan
        {
            Environment = "dev",
            Changes = changes.Select(c => new RecordedChange { Id = c.Id, Type = "Microsoft.Resources/resourceGroups", ApiVersion = "2024-03-01", Action = c.Action }).ToList(),
        },
    };

    [Fact]
    public void Drift_Corrected_Three_Drift_Runs_In_A_Row_Alerts_Once_And_A_Clean_Check_Resets_The_Count()
    {
        const string rg = "/subscriptions/s/resourceGroups/rg-dev";
        var state = After(Fresh, Run(RunOutcome.Applied));
        for (var i = 1; i <= 2; i++)
        {
            var corrected = DriftRun(RunOutcome.Applied, (rg, PlanAction.Update));
            Assert.Empty(AlertRules.Evaluate(state, corrected));
            state = After(state, corrected);
            Assert.Equal(i, state.DriftCorrections[rg]);
        }

        // A push that changes the resource is git moving, not a hand edit: the count stays.
        var push = Run(RunOutcome.Applied) with { Plan = DriftRun(RunOutcome.Applied, (rg, PlanAction.Update)).Plan };
        Assert.Empty(AlertRules.Evaluate(state, push));
        state = After(state, push);
        Assert.Equal(2, state.DriftCorrections[rg]);

        var third = DriftRun(RunOutcome.Applied, (rg, PlanAction.Update));
        var alert = Assert.Single(AlertRules.Evaluate(state, third));
        Assert.Equal(AlertKind.DriftRecurring, alert.Kind);
        Assert.Equal([rg], alert.Details);
        state = After(state, third);

        var fourth = DriftRun(RunOutcome.Applied, (rg, PlanAction.Update));
        Assert.Empty(AlertRules.Evaluate(state, fourth));
        state = After(state, fourth);

        state = After(state, DriftRun(RunOutcome.NoChanges, (rg, PlanAction.Noop)));
        Assert.False(state.DriftCorrections.ContainsKey(rg));
    }

    [Fact]
    public void A_Failed_Correction_Does_Not_Count_And_The_Counts_Survive_A_Json_Round_Trip()
    {
        const string rg = "/subscriptions/s/resourceGroups/rg-dev";
        var state = After(Fresh, DriftRun(RunOutcome.Applied, (rg, PlanAction.Update)));
        state = After(state, DriftRun(RunOutcome.Failed, (rg, PlanAction.Update)));
        Assert.Equal(1, state.DriftCorrections[rg]);

        var read = RunJson.DeserializeState(RunJson.Serialize(state));
        Assert.Equal(1, read.DriftCorrections[rg]);
        Assert.Empty(RunJson.DeserializeState("""{"repository":"app","environment":"dev"}""").DriftCorrections);
    }
}
