using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using static GitOps.Core.Tests.Planning.PlanTestData;

namespace GitOps.Core.Tests.Planning;

public sealed class InventoryDigestTests
{
    private static readonly string Id = StorageId("stdigest");

    // Azure never returns allowSharedKeyAccess here, like a write-only or defaulted field.
    private const string Live = """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_2"}}""";

    [Fact]
    public void Change_In_Git_To_A_Field_Azure_Never_Returns_Is_An_Update()
    {
        var applied = Resource(Id, """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_2","allowSharedKeyAccess":true}}""");
        var now = Resource(Id, """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_2","allowSharedKeyAccess":false}}""");

        var change = PlanOne(now, Live, [EntryFor(applied)]);

        Assert.Equal(PlanAction.Update, change.Action);
        Assert.Equal(PlanReasons.DeclarationChanged, change.Reason);
        var diff = Assert.Single(change.Diffs);
        Assert.Equal("/properties/allowSharedKeyAccess", diff.Path);
        Assert.False(diff.Desired!.GetValue<bool>());
        Assert.Null(diff.Live);
    }

    [Fact]
    public void Unchanged_Declaration_With_Unreturned_Fields_Is_Noop()
    {
        var resource = Resource(Id, """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_2","allowSharedKeyAccess":false}}""");
        var change = PlanOne(resource, Live, [EntryFor(resource)]);
        Assert.Equal(PlanAction.Noop, change.Action);
        Assert.Null(change.Reason);
    }

    [Fact]
    public void No_Inventory_Entry_And_No_Visible_Difference_Is_Adoption()
    {
        var change = PlanOne(Resource(Id, """{"location":"West Europe","properties":{"allowSharedKeyAccess":false}}"""), Live);
        Assert.Equal(PlanAction.Noop, change.Action);
        Assert.Equal(PlanReasons.Adopted, change.Reason);
    }

    [Fact]
    public void Declaration_Change_Shows_Visible_And_Unreturned_Diffs_Together()
    {
        var applied = Resource(Id, """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_2","allowSharedKeyAccess":true}}""");
        var now = Resource(Id, """{"location":"westeurope","properties":{"minimumTlsVersion":"TLS1_3","allowSharedKeyAccess":false}}""");
        var change = PlanOne(now, Live, [EntryFor(applied)]);
        Assert.Equal(["/properties/allowSharedKeyAccess", "/properties/minimumTlsVersion"], Paths(change));
        Assert.Equal(PlanReasons.DeclarationChanged, change.Reason);
    }

    [Fact]
    public void Declaration_Change_Respects_Ignore()
    {
        var settings = Settings(ignore: "/properties/allowSharedKeyAccess");
        var applied = Resource(Id, """{"properties":{"allowSharedKeyAccess":true}}""", reconcile: settings);
        var now = Resource(Id, """{"properties":{"allowSharedKeyAccess":false}}""", reconcile: settings);
        var change = PlanOne(now, Live, [EntryFor(applied)]);
        Assert.Equal(PlanAction.Update, change.Action);
        Assert.Empty(change.Diffs);
    }

    [Fact]
    public void Api_Version_Change_Alone_Is_An_Update_Without_Diffs()
    {
        var applied = Resource(Id, Live, apiVersion: "2022-09-01");
        var change = PlanOne(Resource(Id, Live, apiVersion: "2023-05-01"), Live, [EntryFor(applied)]);
        Assert.Equal(PlanAction.Update, change.Action);
        Assert.Equal(PlanReasons.DeclarationChanged, change.Reason);
        Assert.Empty(change.Diffs);
    }

    [Fact]
    public void Declaration_Change_In_Detect_Mode_Is_Drift_Saying_Why()
    {
        var applied = Resource(Id, """{"properties":{"allowSharedKeyAccess":true}}""");
        var now = Resource(Id, """{"properties":{"allowSharedKeyAccess":false}}""");
        var change = PlanOne(now, Live, [EntryFor(applied)], new PlanOptions { DriftMode = DriftMode.Detect });
        Assert.Equal(PlanAction.Drift, change.Action);
        Assert.Equal("declaration changed since last apply; drift mode detect: would update", change.Reason);
    }
}
