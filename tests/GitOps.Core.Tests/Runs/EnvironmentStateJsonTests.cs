using GitOps.Core.Manifests;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Runs;

public sealed class EnvironmentStateJsonTests
{
    [Fact]
    public void Suspension_And_Rollback_Hold_Survive_A_Round_Trip()
    {
        var at = DateTimeOffset.Parse("2026-11-01T10:00:00Z");
        var state = EnvironmentState.New("platform", "prod") with
        {
            Suspension = new Suspension("incident 42", "alice", at, at.AddHours(2)),
            RolledBackTo = new RollbackHold(new CommitInfo(new string('a', 40), "Grace", "grace@example.com", at, "Known good"), new string('b', 40), "carol", at),
        };

        var json = RunJson.Serialize(state);
        var back = RunJson.DeserializeState(json);

        Assert.Contains("\"rolledBackTo\"", json, StringComparison.Ordinal);
        Assert.Equal(state.Suspension, back.Suspension);
        Assert.Equal(state.RolledBackTo, back.RolledBackTo);
    }
}
