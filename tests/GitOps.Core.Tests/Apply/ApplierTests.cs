using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Ports;

namespace GitOps.Core.Tests.Apply;

public sealed class ApplierTests
{
    private const string Sub = "/subscriptions/00000000-0000-0000-0000-000000000001";
    private const string Rg = Sub + "/resourceGroups/rg";
    private const string Vnet = Rg + "/providers/Microsoft.Network/virtualNetworks/vnet";
    private const string Subnet = Vnet + "/subnets/default";
    private const string Storage = Rg + "/providers/Microsoft.Storage/storageAccounts/st1";

    internal static DeclaredResource Declared(string id, string type, params string[] dependsOn) => new()
    {
        Id = id,
        Type = type,
        ApiVersion = "2024-01-01",
        Name = id[(id.LastIndexOf('/') + 1)..],
        Body = new JsonObject { ["location"] = "westeurope" },
        DependsOn = dependsOn,
    };

    internal static ResourceChange Change(DeclaredResource resource, PlanAction action) => new()
    {
        Id = resource.Id,
        Type = resource.Type,
        ApiVersion = resource.ApiVersion,
        Action = action,
        Desired = resource,
        DependsOn = resource.DependsOn,
    };

    internal static PlanResult Plan(params ResourceChange[] changes) => new("test", changes, []);

    [Fact]
    public async Task Apply_Creates_Dependencies_Before_Dependents()
    {
        var arm = new FakeArmClient();
        var rg = Declared(Rg, ResourceIds.ResourceGroupType);
        var vnet = Declared(Vnet, "Microsoft.Network/virtualNetworks", Rg);
        var subnet = Declared(Subnet, "Microsoft.Network/virtualNetworks/subnets", Vnet);

        // Listed out of order on purpose: the applier must order by dependencies, not by list position.
        var result = await new Applier(arm).ApplyAsync(
            Plan(Change(subnet, PlanAction.Create), Change(vnet, PlanAction.Create), Change(rg, PlanAction.Create)),
            ResourceInventory.Empty);

        Assert.True(result.Succeeded);
        var puts = arm.Calls.Where(c => c.Method == "PUT").Select(c => c.Id).ToList();
        Assert.Equal([Rg, Vnet, Subnet], puts);
        Assert.All(arm.Calls, c => Assert.Equal("2024-01-01", c.ApiVersion));
    }

    [Fact]
    public async Task Apply_Failure_Skips_Dependents_But_Not_Independent_Resources()
    {
        var arm = new FakeArmClient();
        arm.Failures[Vnet] = new ArmRequestException(400, "InvalidParameter", "Address space is invalid.", ArmErrorKind.Fatal, "corr-1");
        var rg = Declared(Rg, ResourceIds.ResourceGroupType);
        var vnet = Declared(Vnet, "Microsoft.Network/virtualNetworks", Rg);
        var subnet = Declared(Subnet, "Microsoft.Network/virtualNetworks/subnets", Vnet);
        var storage = Declared(Storage, "Microsoft.Storage/storageAccounts", Rg);

        var result = await new Applier(arm).ApplyAsync(
            Plan(Change(rg, PlanAction.Noop), Change(vnet, PlanAction.Create), Change(subnet, PlanAction.Create), Change(storage, PlanAction.Update)),
            ResourceInventory.Empty);

        var byId = result.Results.ToDictionary(r => r.Id);
        Assert.Equal(ResourceOutcome.Failed, byId[Vnet].Outcome);
        Assert.Equal("InvalidParameter", byId[Vnet].ErrorCode);
        Assert.Equal("corr-1", byId[Vnet].CorrelationId);
        Assert.Equal(ResourceOutcome.Skipped, byId[Subnet].Outcome);
        Assert.Equal(Applier.DependencyFailedCode, byId[Subnet].ErrorCode);
        Assert.Contains(Vnet, byId[Subnet].Message);
        Assert.Equal(ResourceOutcome.Succeeded, byId[Storage].Outcome);
        Assert.DoesNotContain(arm.Calls, c => c.Id == Subnet);
        Assert.False(result.Succeeded);
        Assert.False(result.OnlyTransientFailures);
    }

    [Fact]
    public async Task Apply_Never_Writes_Noop_Or_Drift_Changes()
    {
        var arm = new FakeArmClient();
        var rg = Declared(Rg, ResourceIds.ResourceGroupType);
        var storage = Declared(Storage, "Microsoft.Storage/storageAccounts", Rg) with
        {
            Reconcile = ReconcileSettings.Default with { Policy = ResourcePolicy.Observe },
        };

        var result = await new Applier(arm).ApplyAsync(Plan(Change(rg, PlanAction.Noop), Change(storage, PlanAction.Drift)), ResourceInventory.Empty);

        Assert.Empty(arm.Calls);
        Assert.Empty(result.Results);
        Assert.Equal(0, result.Writes);
        Assert.True(result.Inventory.Contains(Rg));
        Assert.False(result.Inventory.Contains(Storage)); // observed resources are never prunable
    }

    [Fact]
    public async Task Apply_Respects_The_Write_Parallelism_Bound()
    {
        var arm = new FakeArmClient { Delay = TimeSpan.FromMilliseconds(20) };
        var changes = Enumerable.Range(0, 12)
            .Select(i => Change(Declared($"{Rg}/providers/Microsoft.Storage/storageAccounts/st{i}", "Microsoft.Storage/storageAccounts"), PlanAction.Create))
            .ToArray();

        var result = await new Applier(arm, new ApplyOptions { MaxParallelWrites = 3 }).ApplyAsync(Plan(changes), ResourceInventory.Empty);

        Assert.True(result.Succeeded);
        Assert.Equal(12, result.Writes);
        Assert.InRange(arm.MaxInFlight, 2, 3);
    }

    [Fact]
    public async Task Deletes_Run_In_Reverse_Dependency_Order_After_Writes()
    {
        var arm = new FakeArmClient();
        arm.Seed(Rg, new JsonObject());
        arm.Seed(Vnet, new JsonObject());
        arm.Seed(Subnet, new JsonObject());
        var storage = Declared(Storage, "Microsoft.Storage/storageAccounts");
        ResourceChange Delete(string id, string type, params string[] deps) =>
            new() { Id = id, Type = type, ApiVersion = "2023-01-01", Action = PlanAction.Delete, DependsOn = deps };
        var previous = new ResourceInventory(
        [
            new InventoryEntry(Rg, ResourceIds.ResourceGroupType, "2023-01-01", "d1", []),
            new InventoryEntry(Vnet, "Microsoft.Network/virtualNetworks", "2023-01-01", "d2", [Rg]),
            new InventoryEntry(Subnet, "Microsoft.Network/virtualNetworks/subnets", "2023-01-01", "d3", [Vnet]),
        ]);

        var result = await new Applier(arm).ApplyAsync(
            Plan(
                Change(storage, PlanAction.Create),
                Delete(Rg, ResourceIds.ResourceGroupType),
                Delete(Vnet, "Microsoft.Network/virtualNetworks", Rg),
                Delete(Subnet, "Microsoft.Network/virtualNetworks/subnets", Vnet)),
            previous);

        Assert.True(result.Succeeded);
        Assert.Equal(
            [("PUT", Storage), ("DELETE", Subnet), ("DELETE", Vnet), ("DELETE", Rg)],
            arm.Calls.Select(c => (c.Method, c.Id)).ToList());
        Assert.All(arm.Calls.Where(c => c.Method == "DELETE"), c => Assert.Equal("2023-01-01", c.ApiVersion));
        Assert.Equal([Storage], result.Inventory.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task Failed_Delete_Stays_In_Inventory_And_Blocks_Its_Dependencies()
    {
        var arm = new FakeArmClient();
        arm.Failures[Subnet] = new ArmRequestException(409, "InUseSubnetCannotBeDeleted", "Subnet is in use.", ArmErrorKind.Fatal);
        var previous = new ResourceInventory(
        [
            new InventoryEntry(Vnet, "Microsoft.Network/virtualNetworks", "2023-01-01", "d2", []),
            new InventoryEntry(Subnet, "Microsoft.Network/virtualNetworks/subnets", "2023-01-01", "d3", [Vnet]),
        ]);
        ResourceChange Delete(string id, params string[] deps) =>
            new() { Id = id, Type = "t", ApiVersion = "2023-01-01", Action = PlanAction.Delete, DependsOn = deps };

        var result = await new Applier(arm).ApplyAsync(Plan(Delete(Vnet), Delete(Subnet, Vnet)), previous);

        var byId = result.Results.ToDictionary(r => r.Id);
        Assert.Equal(ResourceOutcome.Failed, byId[Subnet].Outcome);
        Assert.Equal(ResourceOutcome.Skipped, byId[Vnet].Outcome);
        Assert.Equal([Vnet, Subnet], result.Inventory.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task Inventory_Records_Failed_Writes_With_An_Empty_Digest_And_Keeps_Skipped_Ones()
    {
        var arm = new FakeArmClient();
        arm.Failures[Vnet] = new ArmRequestException(503, "ServiceUnavailable", "Try later.", ArmErrorKind.Transient);
        arm.Failures[Storage] = new ArmRequestException(500, "InternalServerError", "Boom.", ArmErrorKind.Transient);
        var vnet = Declared(Vnet, "Microsoft.Network/virtualNetworks");
        var subnet = Declared(Subnet, "Microsoft.Network/virtualNetworks/subnets", Vnet);
        var storage = Declared(Storage, "Microsoft.Storage/storageAccounts");
        var previous = new ResourceInventory(
        [
            new InventoryEntry(Vnet, "Microsoft.Network/virtualNetworks", "2024-01-01", "old-digest", []),
            new InventoryEntry(Subnet, "Microsoft.Network/virtualNetworks/subnets", "2024-01-01", "old-subnet-digest", [Vnet]),
        ]);

        var result = await new Applier(arm).ApplyAsync(
            Plan(Change(vnet, PlanAction.Update), Change(subnet, PlanAction.Update), Change(storage, PlanAction.Create)),
            previous);

        Assert.True(result.OnlyTransientFailures);

        // A sent PUT that failed may still have changed the resource: an empty digest makes the next run write it again.
        Assert.Equal(string.Empty, result.Inventory.Find(Vnet)!.Digest);
        Assert.Equal(string.Empty, result.Inventory.Find(Storage)!.Digest);

        // A skipped write sent nothing: the previous entry stands.
        Assert.Equal("old-subnet-digest", result.Inventory.Find(Subnet)!.Digest);
    }

    [Fact]
    public async Task Successful_Writes_Record_The_Declaration_Digest_And_OnDelete()
    {
        var arm = new FakeArmClient();
        var storage = Declared(Storage, "Microsoft.Storage/storageAccounts") with
        {
            Reconcile = ReconcileSettings.Default with { OnDelete = DeleteBehavior.Detach },
        };

        var result = await new Applier(arm).ApplyAsync(Plan(Change(storage, PlanAction.Create)), ResourceInventory.Empty);

        var entry = Assert.Single(result.Inventory.Entries);
        Assert.Equal(DeclarationDigest.Compute(storage), entry.Digest);
        Assert.Equal(DeleteBehavior.Detach, entry.OnDelete);
        Assert.Equal("2024-01-01", entry.ApiVersion);
    }
}
