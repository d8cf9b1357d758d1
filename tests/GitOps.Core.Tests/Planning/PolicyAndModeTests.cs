using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class PolicyAndModeTests
{
    private static readonly string Id = StorageId("stpolicy");
    private const string Body = """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_2"}}""";
    private const string Drifted = """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_0"}}""";
    private static readonly PlanOptions Detect = new() { DriftMode = DriftMode.Detect };

    [Fact]
    public void Absent_Resource_Is_Created_With_No_Diffs()
    {
        var change = PlanOne(Resource(Id, Body), liveBody: null);
        Assert.Equal(PlanAction.Create, change.Action);
        Assert.Empty(change.Diffs);
        Assert.Equal("2023-05-01", change.ApiVersion);
        Assert.NotNull(change.Desired);
    }

    [Fact]
    public void Live_Map_Is_Looked_Up_Case_Insensitively() =>
        Assert.Equal(PlanAction.Noop, Assert.Single(Plan(
            [Resource(Id, Body)],
            new Dictionary<string, System.Text.Json.Nodes.JsonObject>(StringComparer.Ordinal) { [Id.ToUpperInvariant()] = Json(Body) }).Changes).Action);

    [Fact]
    public void Observe_Reports_Differences_As_Drift_Never_A_Write()
    {
        var change = PlanOne(Resource(Id, Body, reconcile: Settings(ResourcePolicy.Observe)), Drifted);
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal(["/properties/minimumTlsVersion"], Paths(change));
        Assert.Equal(PlanReasons.PolicyObserve, change.Reason);
    }

    [Fact]
    public void Observe_Without_Differences_Is_Noop() =>
        Assert.Equal(PlanAction.Noop, PlanOne(Resource(Id, Body, reconcile: Settings(ResourcePolicy.Observe)), Body).Action);

    [Fact]
    public void Observe_Of_Absent_Resource_Is_Drift_Absent_In_Azure()
    {
        var change = PlanOne(Resource(Id, Body, reconcile: Settings(ResourcePolicy.Observe)), liveBody: null);
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal("absent in Azure", change.Reason);
    }

    [Fact]
    public void Observe_Ignores_The_Inventory_Digest()
    {
        var resource = Resource(Id, Body, reconcile: Settings(ResourcePolicy.Observe));
        var stale = EntryFor(resource) with { Digest = "sha256:old" };
        Assert.Equal(PlanAction.Noop, PlanOne(resource, Body, [stale]).Action);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Drifted)]
    public void Detach_Policy_Is_Detach_Whatever_Azure_Holds(string? live)
    {
        var change = PlanOne(Resource(Id, Body, reconcile: Settings(ResourcePolicy.Detach)), live);
        Assert.Equal(PlanAction.Detach, change.Action);
        Assert.Empty(change.Diffs);
        Assert.Equal(PlanReasons.PolicyDetach, change.Reason);
    }

    [Fact]
    public void Detect_Mode_Turns_Create_Into_Drift()
    {
        var change = PlanOne(Resource(Id, Body), liveBody: null, options: Detect);
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal("absent in Azure; drift mode detect: would create", change.Reason);
    }

    [Fact]
    public void Detect_Mode_Turns_Update_Into_Drift_With_Diffs()
    {
        var change = PlanOne(Resource(Id, Body), Drifted, options: Detect);
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal("drift mode detect: would update", change.Reason);
        Assert.Equal(["/properties/minimumTlsVersion"], Paths(change));
        Assert.False(Plan([Resource(Id, Body)], new Dictionary<string, System.Text.Json.Nodes.JsonObject> { [Id] = Json(Drifted) }, options: Detect).Summary.HasWrites);
    }

    [Fact]
    public void Detect_Mode_Keeps_Noop() =>
        Assert.Equal(PlanAction.Noop, PlanOne(Resource(Id, Body), Body, options: Detect).Action);
}
