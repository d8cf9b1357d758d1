using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using Microsoft.Extensions.Time.Testing;
using static GitOps.Core.Tests.Apply.ApplierTests;

namespace GitOps.Core.Tests.Apply;

/// <summary>Issue 18 item 2: after a write a resource counts as applied only when healthy, and dependents wait for it.</summary>
public sealed class HealthCheckTests
{
    private const string Rg = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg";
    private const string Vnet = Rg + "/providers/Microsoft.Network/virtualNetworks/vnet";
    private const string Subnet = Vnet + "/subnets/default";

    // No real waiting between health reads: the budget of reads is what bounds a test.
    private static readonly ApplyOptions Fast = new() { HealthPollInterval = TimeSpan.Zero, MaxHealthPolls = 3 };

    private static DeclaredResource WithHealth(DeclaredResource resource, TimeSpan? timeout = null, params HealthAssertion[] checks) =>
        resource with { Reconcile = ReconcileSettings.Default with { Health = new HealthSettings(checks, timeout ?? HealthSettings.DefaultTimeout) } };

    private static void SetState(JsonObject body, string state) =>
        (body["properties"] ??= new JsonObject()).AsObject()["provisioningState"] = state;

    [Fact]
    public async Task A_Write_That_Ends_Failed_Is_A_Failed_Result_With_The_Providers_Error()
    {
        var arm = new FakeArmClient
        {
            Provider = (_, body) =>
            {
                SetState(body, "Failed");
                body["properties"]!["error"] = new JsonObject { ["code"] = "SubnetQuotaExceeded", ["message"] = "The subscription has no subnet quota left." };
            },
        };

        var result = Assert.Single((await new Applier(arm, Fast).ApplyAsync(Plan(Change(Declared(Vnet, "Microsoft.Network/virtualNetworks"), PlanAction.Create)), ResourceInventory.Empty)).Results);

        Assert.Equal(ResourceOutcome.Failed, result.Outcome);
        Assert.Equal("SubnetQuotaExceeded", result.ErrorCode);
        Assert.Equal("The subscription has no subnet quota left.", result.Message);
        Assert.Equal(HealthStatus.Unhealthy, result.Health);
    }

    [Fact]
    public async Task A_Succeeded_Write_Is_Healthy_Without_Extra_Reads()
    {
        var arm = new FakeArmClient { Provider = (_, body) => SetState(body, "Succeeded") };

        var result = Assert.Single((await new Applier(arm, Fast).ApplyAsync(Plan(Change(Declared(Vnet, "Microsoft.Network/virtualNetworks"), PlanAction.Create)), ResourceInventory.Empty)).Results);

        Assert.Equal((ResourceOutcome.Succeeded, HealthStatus.Healthy), (result.Outcome, result.Health));
        Assert.DoesNotContain(arm.Calls, c => c.Method == "GET");
    }

    [Fact]
    public async Task Dependents_Wait_For_Their_Dependency_To_Become_Healthy_Not_Only_For_The_Put()
    {
        var reads = 0;
        var arm = new FakeArmClient
        {
            Provider = (id, body) =>
            {
                if (id == Vnet)
                {
                    SetState(body, reads++ < 2 ? "Updating" : "Succeeded");
                }
            },
        };
        var vnet = Declared(Vnet, "Microsoft.Network/virtualNetworks");
        var subnet = Declared(Subnet, "Microsoft.Network/virtualNetworks/subnets", Vnet);

        var result = await new Applier(arm, Fast).ApplyAsync(Plan(Change(vnet, PlanAction.Create), Change(subnet, PlanAction.Create)), ResourceInventory.Empty);

        Assert.True(result.Succeeded);
        var calls = arm.Calls.ToList();
        var lastVnetRead = calls.FindLastIndex(c => c is { Method: "GET", Id: Vnet });
        var subnetPut = calls.FindIndex(c => c is { Method: "PUT", Id: Subnet });
        Assert.True(lastVnetRead >= 0 && subnetPut > lastVnetRead, string.Join(", ", calls));
        Assert.Equal(HealthStatus.Healthy, result.Results[0].Health);
    }

    [Fact]
    public async Task An_Assertion_That_Never_Holds_Leaves_The_Resource_Unhealthy_Within_The_Read_Budget_And_Skips_Dependents()
    {
        var arm = new FakeArmClient { Provider = (_, body) => SetState(body, "Succeeded") };
        var vnet = WithHealth(Declared(Vnet, "Microsoft.Network/virtualNetworks"), checks: new HealthAssertion("/properties/state", "Running"));
        var subnet = Declared(Subnet, "Microsoft.Network/virtualNetworks/subnets", Vnet);

        var result = await new Applier(arm, Fast).ApplyAsync(Plan(Change(vnet, PlanAction.Create), Change(subnet, PlanAction.Create)), ResourceInventory.Empty);

        var written = result.Results.Single(r => r.Id == Vnet);
        Assert.Equal((ResourceOutcome.Succeeded, HealthStatus.Unhealthy), (written.Outcome, written.Health));
        Assert.Equal("/properties/state is absent, not Running after 3 health read(s)", written.HealthDetail);
        Assert.Equal(3, arm.Calls.Count(c => c is { Method: "GET", Id: Vnet }));
        var skipped = result.Results.Single(r => r.Id == Subnet);
        Assert.Equal((ResourceOutcome.Skipped, Applier.DependencyUnhealthyCode), (skipped.Outcome, skipped.ErrorCode));
        Assert.DoesNotContain(arm.Calls, c => c is { Method: "PUT", Id: Subnet });
        Assert.True(result.Inventory.Contains(Vnet));
    }

    [Fact]
    public async Task An_Assertion_That_Comes_True_Makes_The_Resource_Healthy()
    {
        var reads = 0;
        var arm = new FakeArmClient
        {
            Provider = (_, body) =>
            {
                SetState(body, "Succeeded");
                body["properties"]!["state"] = reads++ < 1 ? "Starting" : "Running";
            },
        };
        var vnet = WithHealth(Declared(Vnet, "Microsoft.Network/virtualNetworks"), checks: new HealthAssertion("/properties/state", "Running"));

        var result = Assert.Single((await new Applier(arm, Fast).ApplyAsync(Plan(Change(vnet, PlanAction.Create)), ResourceInventory.Empty)).Results);

        Assert.Equal(HealthStatus.Healthy, result.Health);
        Assert.Equal(1, arm.Calls.Count(c => c.Method == "GET"));
    }

    [Fact]
    public async Task The_Health_Timeout_Runs_On_The_Reconcilers_Clock()
    {
        // Every read of the clock moves it a minute on: a 3-minute timeout ends the wait long before the read budget.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T10:00:00Z")) { AutoAdvanceAmount = TimeSpan.FromMinutes(1) };
        var arm = new FakeArmClient { Provider = (_, body) => SetState(body, "Creating") };
        var vnet = WithHealth(Declared(Vnet, "Microsoft.Network/virtualNetworks"), TimeSpan.FromMinutes(3));

        var result = Assert.Single((await new Applier(arm, Fast with { MaxHealthPolls = 1000 }, time).ApplyAsync(Plan(Change(vnet, PlanAction.Create)), ResourceInventory.Empty)).Results);

        Assert.Equal(HealthStatus.Unhealthy, result.Health);
        Assert.StartsWith("provisioningState Creating after", result.HealthDetail, StringComparison.Ordinal);
        Assert.InRange(arm.Calls.Count(c => c.Method == "GET"), 1, 4);
    }
}
