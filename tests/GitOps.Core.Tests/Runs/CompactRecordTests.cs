using System.Text.Json.Nodes;
using GitOps.Core.Apply;
using GitOps.Core.Inventory;
using GitOps.Core.Manifests;
using GitOps.Core.Planning;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Manifests;

namespace GitOps.Core.Tests.Runs;

/// <summary>
/// Issue 19 item 3: records count what did nothing instead of listing it, the inventory is stored compactly, and
/// documents written before (<c>testdata/state-v1.json</c> and <c>run-record-noop-v1.json</c>, written by commit 8040fd0)
/// still read.
/// </summary>
public sealed class CompactRecordTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private static string TestData(string name) =>
        File.ReadAllText(Path.Combine(ManifestTestSupport.RepositoryRoot(), "tests", "GitOps.Core.Tests", "Runs", "testdata", name));

    [Fact]
    public void A_State_Written_Before_Reads_Unchanged_And_Is_Written_Back_Compact()
    {
        var old = RunJson.DeserializeState(TestData("state-v1.json"));

        var entries = old.Inventory.Entries;
        Assert.Equal(5, entries.Count);
        var subnet = entries.Single(e => e.Id.EndsWith("/subnets/default", StringComparison.Ordinal));
        Assert.Equal(string.Empty, subnet.Digest);
        Assert.Null(subnet.Shape);
        Assert.Equal("/SUBSCRIPTIONS/00000000-0000-0000-0000-0000000000AA/RESOURCEGROUPS/RG-APP/PROVIDERS/MICROSOFT.NETWORK/VIRTUALNETWORKS/VNET-APP", Assert.Single(subnet.DependsOn));
        var pip = entries.Single(e => e.Type == "Microsoft.Network/publicIPAddresses");
        Assert.Equal(DeleteBehavior.Detach, pip.OnDelete);
        Assert.Equal(2, pip.DependsOn.Count);
        Assert.Single(old.DriftCorrections);

        var rewritten = RunJson.Serialize(old);
        var back = RunJson.DeserializeState(rewritten);

        Assert.Equal(InventoryJson.CompactFormat, JsonNode.Parse(rewritten)!["inventory"]!["format"]!.GetValue<int>());
        Assert.Equal(entries, back.Inventory.Entries, new EntryComparer());
        Assert.Equal(old.LastApplied, back.LastApplied);
        Assert.True(rewritten.Length < TestData("state-v1.json").Length);
    }

    [Fact]
    public void The_Compact_Inventory_Keeps_Every_Field_Exactly()
    {
        var group = $"/subscriptions/{Subscription}/resourceGroups/rg-a";
        var inventory = new ResourceInventory(
        [
            new InventoryEntry(group, "Microsoft.Resources/resourceGroups", "2024-03-01", "sha256:" + new string('0', 64), []),
            new InventoryEntry(group + "/providers/Microsoft.Storage/storageAccounts/st1", "Microsoft.Storage/storageAccounts", "2023-05-01", "sha256:" + string.Concat(Enumerable.Repeat("0f", 32)), [group], DeleteBehavior.Delete, "sha256:" + new string('e', 64)),
            new InventoryEntry(group + "/providers/Microsoft.Storage/storageAccounts/st2", "Microsoft.Storage/storageAccounts", "2023-01-01", "md5:not-a-sha", [group.ToUpperInvariant(), "/subscriptions/x/resourceGroups/elsewhere"], DeleteBehavior.Detach, "sha256:" + new string('e', 64)),
            new InventoryEntry(group + "/providers/Microsoft.Storage/storageAccounts/st2é😀", "Microsoft.Storage/storageAccounts", "2023-05-01", "sha256:" + new string('A', 64), [], DeleteBehavior.Detach),
            new InventoryEntry("/subscriptions/other/resourceGroups/b", "Microsoft.Resources/resourceGroups", "2024-03-01", string.Empty, []),
        ]);

        var back = InventoryJson.FromJson(JsonNode.Parse(InventoryJson.ToCompactJson(inventory)));

        Assert.Equal(inventory.Entries, back.Entries, new EntryComparer());
        Assert.Equal(inventory.Entries, InventoryJson.FromJson(InventoryJson.ToJson(inventory)).Entries, new EntryComparer());
    }

    [Theory]
    [InlineData("""{"format":3,"types":[],"shapes":[],"entries":[]}""", "format 3")]
    [InlineData("""{"format":2,"types":["a@1"],"shapes":[],"entries":[[0,"/x",5,"",-1]]}""", "type 5")]
    [InlineData("""{"format":2,"types":["a@1"],"shapes":[],"entries":[[9,"/x",0,"",-1]]}""", "shares 9")]
    [InlineData("""{"format":2,"types":["a@1"],"shapes":[],"entries":[[0,"/x",0,"%%%",-1]]}""", "Digest")]
    [InlineData("""{"format":2,"types":["a@1"],"shapes":[],"entries":[[0,"/x",0,"",-1,[4]]]}""", "entry 4")]
    public void A_Damaged_Compact_Inventory_Is_Refused_Saying_Where(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => InventoryJson.FromJson(JsonNode.Parse(json)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Run_Record_Written_Before_With_Listed_No_Ops_Still_Reads()
    {
        var run = RunJson.DeserializeRun(TestData("run-record-noop-v1.json"));

        Assert.Equal(4, run.Plan!.Changes.Count);
        Assert.All(run.Plan.Changes, c => Assert.Equal(PlanAction.Noop, c.Action));
        Assert.Equal(4, run.Plan.Summary.Noop);
        Assert.Equal(0, run.Plan.Unlisted);
        Assert.Equal(3, run.Health!.Count);
        Assert.Null(run.HealthCounts);
        Assert.Null(run.ResultCounts);
        Assert.Null(run.Segments);
        Assert.Null(run.FullPlan);
        Assert.Equal(TestData("run-record-noop-v1.json"), RunJson.Serialize(run));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void A_No_Op_Run_Of_Many_Resources_Records_Under_200_KB_And_Its_State_Under_2_MB(int resources)
    {
        var (plan, inventory, health) = NoOp(resources);
        var (listedHealth, healthCounts) = RunRecordCompaction.Health(health, new HashSet<string>());
        var run = new RunRecord
        {
            RunId = "7980000000000000000-0a1b2c3d",
            Repository = "platform",
            Environment = "big",
            Trigger = RunTrigger.Drift,
            StartedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"),
            Outcome = RunOutcome.NoChanges,
            Summary = "Azure matches git.",
            Plan = RecordedPlan.ForRecord(plan),
            Health = listedHealth,
            HealthCounts = healthCounts,
        };
        var state = EnvironmentState.New("platform", "big") with { Inventory = inventory };

        var record = RunJson.Serialize(run);
        var stored = RunJson.Serialize(state);

        Assert.True(record.Length < 200 * 1024, $"record {record.Length:N0} bytes");
        Assert.True(stored.Length < 2 * 1024 * 1024, $"state {stored.Length:N0} bytes");
        Assert.Empty(run.Plan.Changes);
        Assert.Equal(resources + 1, run.Plan.Summary.Noop);
        Assert.Equal(resources + 1, run.HealthCounts!.Healthy);
        Assert.Null(run.Health);
        Assert.Equal(inventory.Entries, RunJson.DeserializeState(stored).Inventory.Entries, new EntryComparer());
    }

    [Fact]
    public void A_Record_Lists_At_Most_200_Changes_And_Results_With_Every_Failure_First()
    {
        var changes = Enumerable.Range(0, 500).Select(i => new ResourceChange { Id = $"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st{i:D4}", Type = "Microsoft.Storage/storageAccounts", ApiVersion = "2023-05-01", Action = i % 2 == 0 ? PlanAction.Create : PlanAction.Noop }).ToList();
        var results = changes.Where(c => c.Action == PlanAction.Create)
            .Select((c, i) => new ResourceResult(c.Id, c.Action, i % 50 == 49 ? ResourceOutcome.Failed : ResourceOutcome.Succeeded, i % 50 == 49 ? "Conflict" : null))
            .ToList();

        var plan = RecordedPlan.ForRecord(new PlanResult("big", changes, []));
        var (listed, counts) = RunRecordCompaction.Results(results);

        Assert.Equal(RunRecordCompaction.MaxListed, plan.Changes.Count);
        Assert.Equal(50, plan.Unlisted);
        Assert.All(plan.Changes, c => Assert.Equal(PlanAction.Create, c.Action));
        Assert.Equal(RunRecordCompaction.MaxListed, listed.Count);
        Assert.Equal(5, listed.Count(r => r.Outcome == ResourceOutcome.Failed));
        Assert.Equal(new ResultCounts(245, 5, 0, 50), counts);
        Assert.Equal(listed.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), listed.Select(r => r.Id));
    }

    private static (PlanResult Plan, ResourceInventory Inventory, List<ResourceHealth> Health) NoOp(int resources)
    {
        var group = $"/subscriptions/{Subscription}/resourceGroups/rg-big";
        var ids = new[] { group }.Concat(Enumerable.Range(0, resources).Select(i => $"{group}/providers/Microsoft.Storage/storageAccounts/st{i:D6}")).ToList();
        var changes = ids.Select(id => new ResourceChange { Id = id, Type = id == group ? ResourceIds.ResourceGroupType : "Microsoft.Storage/storageAccounts", ApiVersion = "2023-05-01", Action = PlanAction.Noop }).ToList();
        static byte[] Hash(int i) => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i));
        var inventory = new ResourceInventory(ids.Select((id, i) => new InventoryEntry(
            id,
            id == group ? ResourceIds.ResourceGroupType : "Microsoft.Storage/storageAccounts",
            id == group ? "2024-03-01" : "2023-05-01",
            "sha256:" + Convert.ToHexStringLower(Hash(i)),
            id == group ? [] : [group],
            DeleteBehavior.Delete,
            "sha256:" + Convert.ToHexStringLower(Hash(id == group ? -1 : -2)))));
        var health = ids.Select(id => new ResourceHealth(id, HealthStatus.Healthy, "provisioningState Succeeded")).ToList();
        return (new PlanResult("big", changes, []), inventory, health);
    }

    private sealed class EntryComparer : IEqualityComparer<InventoryEntry>
    {
        public bool Equals(InventoryEntry? x, InventoryEntry? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Type == y.Type && x.ApiVersion == y.ApiVersion && x.Digest == y.Digest
            && x.OnDelete == y.OnDelete && x.Shape == y.Shape && x.DependsOn.SequenceEqual(y.DependsOn);

        public int GetHashCode(InventoryEntry obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
