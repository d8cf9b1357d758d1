using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class TagTests
{
    private static readonly string Id = StorageId("sttags");

    [Fact]
    public void Plan_Reports_Drift_When_Tag_Missing()
    {
        var change = PlanOne(Resource(Id, """{"tags":{"owner":"platform","env":"prod"}}"""), """{"tags":{"owner":"platform"}}""");
        Assert.Equal(PlanAction.Update, change.Action);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/tags/env", diff.Path);
        Assert.Equal("prod", diff.Desired!.GetValue<string>());
        Assert.Null(diff.Live);
    }

    [Fact]
    public void Plan_Reports_Drift_When_Tag_Value_Differs_In_Case_Only()
    {
        var change = PlanOne(Resource(Id, """{"tags":{"owner":"Platform"}}"""), """{"tags":{"owner":"platform"}}""");
        Assert.Equal(["/tags/owner"], Paths(change));
    }

    [Fact]
    public void Plan_Matches_Tag_Keys_Case_Insensitively()
    {
        var change = PlanOne(Resource(Id, """{"tags":{"Owner":"platform"}}"""), """{"tags":{"owner":"platform"}}""");
        Assert.Equal(PlanAction.Noop, change.Action);
    }

    [Fact]
    public void Plan_Reports_Extra_Live_Tag_Because_The_Put_Removes_It()
    {
        var change = PlanOne(Resource(Id, """{"tags":{"owner":"platform"}}"""), """{"tags":{"owner":"platform","costCenter":"42"}}""");
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/tags/costCenter", diff.Path);
        Assert.Null(diff.Desired);
        Assert.Equal("42", diff.Live!.GetValue<string>());
    }

    [Fact]
    public void Plan_Escapes_Tag_Keys_In_Pointers()
    {
        var change = PlanOne(Resource(Id, """{"tags":{"a/b~c":"1"}}"""), """{"tags":{}}""");
        Assert.Equal(["/tags/a~1b~0c"], Paths(change));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"tags":{}}""")]
    [InlineData("""{"tags":null}""")]
    [InlineData("""{"tags":""}""")]
    public void Declared_Empty_Tags_Equal_Absent_Or_Empty_Live_Tags(string live) =>
        Assert.Equal(PlanAction.Noop, PlanOne(Resource(Id, """{"tags":{}}"""), live).Action);

    [Theory]
    [InlineData("""{"tags":{}}""")]
    [InlineData("""{"tags":[]}""")]
    [InlineData("""{"tags":""}""")]
    public void Declared_Empty_Tags_Equal_An_Absent_Declaration(string declared)
    {
        // Like undeclared tags: not judged, so tags added by Azure Policy or the portal are not reported.
        var change = PlanOne(Resource(Id, declared), """{"tags":{"createdBy":"portal"}}""");
        Assert.Equal(PlanAction.Noop, change.Action);
    }

    [Fact]
    public void Tags_Are_Not_Judged_When_Not_Declared() =>
        Assert.Equal(PlanAction.Noop, PlanOne(Resource(Id, """{"location":"westeurope"}"""), """{"location":"westeurope","tags":{"x":"y"}}""").Action);

    [Fact]
    public void Ignored_Tag_Is_Not_Judged()
    {
        var resource = Resource(Id, """{"tags":{"owner":"platform"}}""", reconcile: Settings(ignore: "/tags/lastScan"));
        Assert.Equal(PlanAction.Noop, PlanOne(resource, """{"tags":{"owner":"platform","lastScan":"today"}}""").Action);
    }

    [Fact]
    public void Tags_Nested_In_Properties_Are_Not_Owned_As_A_Map()
    {
        // Only the top-level ARM tags are owned whole; a "tags" object elsewhere is an ordinary declared object.
        var change = PlanOne(Resource(Id, """{"properties":{"tags":{"a":"1"}}}"""), """{"properties":{"tags":{"a":"1","b":"2"}}}""");
        Assert.Equal(PlanAction.Noop, change.Action);
    }
}
