using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GitOps.Core.Events;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Core.Tests.Apply;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Drift runs narrowed to the resources ARM events named (<see cref="RunScope"/>).</summary>
public sealed partial class ScopedReconcileTests
{
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";
    private const string GroupId = $"/subscriptions/{Subscription}/resourceGroups/rg-app";
    private const string First = GroupId + "/providers/Microsoft.Storage/storageAccounts/stapp01";
    private const string Second = GroupId + "/providers/Microsoft.Storage/storageAccounts/stapp02";
    private const string Network = GroupId + "/providers/Microsoft.Network/virtualNetworks/vnet-app";
    private const string Subnet = Network + "/subnets/default";

    private static readonly ChangeActor Alice = new("alice@contoso.com", ClientTypes.PortalAppId, "3f9c1e4a-2b7d-4e8f-9a6c-1d2e3f4a5b6c", "User", "portal");

    private readonly FakeConfigSource _source = new();
    private readonly FakeArmClient _arm = new();
    private readonly InMemoryRunStore _runs = new();
    private readonly InMemoryStateStore _states = new();
    private readonly InMemoryLock _locks = new();
    private readonly InMemoryQueue _queue = new();
    private readonly InMemoryIndex _index = new();

    private Reconciler Reconciler() => new(_source, _arm, _runs, _states, _locks, _queue, index: _index);

    private static string Config(string driftMode = "correct", string prune = "true") => $"""
        environments:
          - name: prod
            path: envs/prod
            branch: main
            subscriptionId: {Subscription}
            prune: {"{"} enabled: {prune}, deleteBudget: 10 {"}"}
            drift: {"{"} interval: 30m, mode: {driftMode} {"}"}
        """;

    private static string Storage(string name, string tls = "TLS1_2") => $"""
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: {name}
        resourceGroup: rg-app
        location: westeurope
        sku: {"{"} name: Standard_LRS {"}"}
        kind: StorageV2
        properties:
          minimumTlsVersion: {tls}
        """;

    private const string GroupYaml = """
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-app
        location: westeurope
        """;

    private const string NetworkYaml = """
        type: Microsoft.Network/virtualNetworks@2024-05-01
        name: vnet-app
        resourceGroup: rg-app
        location: westeurope
        properties:
          addressSpace: { addressPrefixes: [10.0.0.0/16] }
        ---
        type: Microsoft.Network/virtualNetworks/subnets@2024-05-01
        name: vnet-app/default
        resourceGroup: rg-app
        properties:
          addressPrefix: 10.0.0.0/24
        """;

    private string Commit(string driftMode = "correct", bool second = true, bool network = false, string prune = "true") =>
        _source.Commit("main", files =>
        {
            files.Add("gitops.yaml", Config(driftMode, prune)).Add("envs/prod/group.yaml", GroupYaml).Add("envs/prod/first.yaml", Storage("stapp01"));
            if (second)
            {
                files.Add("envs/prod/second.yaml", Storage("stapp02"));
            }

            if (network)
            {
                files.Add("envs/prod/network.yaml", NetworkYaml);
            }
        });

    private static ReconcileJob Job(string? commit, RunTrigger trigger) => new()
    {
        JobId = Guid.NewGuid().ToString("N"),
        Repository = "platform",
        Environment = "prod",
        Commit = commit,
        Trigger = trigger,
        EnqueuedAt = DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static RunScope Scope(params (string Id, ChangeKind Kind)[] changes) => new(
        $"{changes.Length} out-of-band change(s) reported by ARM events",
        changes.Select(c => new ChangeAttribution(c.Id, Alice, c.Kind, "Microsoft.Storage/storageAccounts/write", "corr-1", DateTimeOffset.Parse("2026-11-01T12:03:11Z", System.Globalization.CultureInfo.InvariantCulture), ChangeAttribution.EventSource)).ToList());

    private async Task ChangeTlsAsync(string id, string tls)
    {
        var body = (await _arm.GetAsync(id, "2023-05-01"))!.Body;
        body["properties"]!["minimumTlsVersion"] = tls;
        _arm.Seed(id, body);
    }

    private List<(string Method, string Id)> CallsSince(int start) => _arm.Calls.Skip(start).Select(c => (c.Method, c.Id)).ToList();

    [Fact]
    public async Task A_Targeted_Drift_Run_Reads_And_Corrects_Only_The_Changed_Resource_And_Names_Who_Changed_It()
    {
        var sha = Commit();
        var reconciler = Reconciler();
        var applied = (await reconciler.ReconcileAsync(Job(sha, RunTrigger.Push))).Run!;
        Assert.True(applied.Outcome == RunOutcome.Applied, string.Join("\n", applied.Errors));
        await ChangeTlsAsync(First, "TLS1_0");
        await ChangeTlsAsync(Second, "TLS1_0");
        var start = _arm.Calls.Count;

        var result = await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((First, ChangeKind.Write)));

        var run = result.Run!;
        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal([("GET", First), ("PUT", First)], CallsSince(start));
        Assert.Equal(2, _arm.Calls.Count - start);
        Assert.Equal("TLS1_0", (await _arm.GetAsync(Second, "2023-05-01"))!.Body["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        var scope = run.Scope!;
        Assert.Equal(1, scope.Requested);
        Assert.Equal([new ScopedResource(First, "changed")], scope.Observed);
        var changedBy = Assert.Single(run.ChangedBy!);
        Assert.Equal(First, changedBy.ResourceId);
        Assert.Equal("alice@contoso.com (portal)", changedBy.Actor.Display);
        Assert.Contains("Changed out of band by alice@contoso.com (portal) at 12:03:11Z; corrected at ", run.Summary, StringComparison.Ordinal);
        Assert.Equal("alice@contoso.com (portal)", RunSummary.Of(run).ChangedBy);

        // The untouched entries stay in the inventory; a narrowed run applies no commit.
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Equal(3, state.Inventory.Entries.Count);
        Assert.Equal(sha, state.LastApplied!.Sha);
    }

    [Fact]
    public async Task In_Detect_Mode_A_Targeted_Run_Reports_And_A_Later_Clean_One_Does_Not_Clear_Drift_Found_Elsewhere()
    {
        var reconciler = Reconciler();
        var sha = Commit(driftMode: "detect");
        await reconciler.ReconcileAsync(Job(sha, RunTrigger.Push));
        await ChangeTlsAsync(First, "TLS1_0");
        var writes = _arm.Calls.Count(c => c.Method != "GET");

        var found = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((First, ChangeKind.Write)))).Run!;
        var clean = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((Second, ChangeKind.Write)))).Run!;

        Assert.Equal(RunOutcome.DriftDetected, found.Outcome);
        Assert.Contains("Changed out of band by alice@contoso.com (portal) at 12:03:11Z.", found.Summary, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.NoChanges, clean.Outcome);
        Assert.Null(clean.ChangedBy);
        Assert.Equal(writes, _arm.Calls.Count(c => c.Method != "GET"));
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.Contains(state.Conditions, c => c.Type == Conditions.Drifted && c.Status == ConditionStatus.True);
    }

    [Fact]
    public async Task Drift_Found_By_A_Full_Drift_Run_Says_The_Actor_Is_Unknown()
    {
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(Commit(), RunTrigger.Push));
        await ChangeTlsAsync(Second, "TLS1_0");

        var run = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift))).Run!;

        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Null(run.Scope);
        var changedBy = Assert.Single(run.ChangedBy!);
        Assert.True(changedBy.Actor.IsUnknown);
        Assert.Equal(ChangeAttribution.DriftTimerSource, changedBy.Source);
        Assert.Contains("Changed out of band by an unknown actor", run.Summary, StringComparison.Ordinal);
        Assert.Equal("an unknown actor", RunSummary.Of(run).ChangedBy);
    }

    [Fact]
    public async Task A_Push_Run_Names_No_Out_Of_Band_Actor()
    {
        var run = (await Reconciler().ReconcileAsync(Job(Commit(), RunTrigger.Push))).Run!;

        Assert.Null(run.ChangedBy);
        Assert.DoesNotContain("out of band", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Event_Never_Deletes_What_Left_Git_Nor_Reads_What_The_Environment_Does_Not_Declare()
    {
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(Commit(), RunTrigger.Push));

        // stapp02 leaves git, but the apply that would prune it has not run: it is still in the inventory.
        var tip = Commit(second: false);
        var previous = (await _states.GetAsync("platform/prod"))!.Value;
        await _states.SaveAsync(previous.State with { LastApplied = previous.State.LastApplied! with { Sha = tip } }, previous.ETag);
        var start = _arm.Calls.Count;
        var outside = $"/subscriptions/{Subscription}/resourceGroups/rg-other/providers/Microsoft.Storage/storageAccounts/stother";

        var run = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((Second, ChangeKind.Delete), (outside, ChangeKind.Write)))).Run!;

        Assert.Empty(CallsSince(start));
        Assert.True(_arm.Exists(Second));
        Assert.Equal(2, run.Scope!.NotDeclaredCount);
        Assert.Equal(0, run.Scope.ObservedCount);
        Assert.Contains(run.Warnings, w => w.Contains("2 changed resource(s) are not declared", StringComparison.Ordinal));
        var (state, _) = (await _states.GetAsync("platform/prod"))!.Value;
        Assert.True(state.Inventory.Contains(Second));
    }

    [Fact]
    public async Task When_The_Branch_Moved_Past_The_Applied_Commit_The_Drift_Run_Covers_The_Whole_Environment()
    {
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(Commit(), RunTrigger.Push));
        var tip = Commit(network: true);
        var start = _arm.Calls.Count;

        var run = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((First, ChangeKind.Write)))).Run!;

        Assert.Null(run.Scope);
        Assert.Equal(tip, run.Commit!.Sha);
        Assert.Contains(run.Warnings, w => w.Contains("covers the whole environment", StringComparison.Ordinal));
        Assert.Equal(5, CallsSince(start).Count(c => c.Method == "GET"));
        Assert.Equal(tip, (await _states.GetAsync("platform/prod"))!.Value.State.LastApplied!.Sha);
    }

    [Fact]
    public void The_Events_Scope_Travels_On_Drift_Jobs_Only()
    {
        var job = Job(null, RunTrigger.Drift) with { Scope = JobScope.Events };
        var text = ReconcileJobJson.Serialize(job);

        Assert.Contains("\"scope\":\"events\"", text, StringComparison.Ordinal);
        Assert.Equal(JobScope.Events, ReconcileJobJson.Parse(text).Scope);
        Assert.Equal(JobScope.Environment, ReconcileJobJson.Parse(ReconcileJobJson.Serialize(job with { Scope = JobScope.Environment })).Scope);
        Assert.DoesNotContain("scope", ReconcileJobJson.Serialize(job with { Scope = JobScope.Environment }), StringComparison.Ordinal);
        var push = ReconcileJobJson.Serialize(Job(null, RunTrigger.Push)).Replace("}", ",\"scope\":\"events\"}", StringComparison.Ordinal);
        Assert.Contains("only a drift job", Assert.Throws<FormatException>(() => ReconcileJobJson.Parse(push)).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ReconcileJobJson.Parse(text.Replace("events", "everything", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_Deleted_Group_Brings_Back_Everything_Declared_In_It_And_A_Subnet_Change_Reads_Its_Network()
    {
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(Commit(network: true), RunTrigger.Push));
        foreach (var id in new[] { Subnet, Network, First, Second, GroupId })
        {
            await _arm.DeleteAsync(id, "x");
        }

        var start = _arm.Calls.Count;
        var run = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((GroupId, ChangeKind.Delete)))).Run!;

        Assert.Equal(RunOutcome.Applied, run.Outcome);
        Assert.Equal(5, run.Scope!.ObservedCount);
        Assert.Equal(5, CallsSince(start).Count(c => c.Method == "PUT"));
        Assert.Equal(5, run.ChangedBy!.Count);
        Assert.All(run.ChangedBy, c => Assert.Equal("alice@contoso.com (portal)", c.Actor.Display));

        start = _arm.Calls.Count;
        var subnet = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((Subnet, ChangeKind.Write)))).Run!;
        Assert.Equal([("GET", Network), ("GET", Subnet)], CallsSince(start).Order().ToList());
        Assert.Contains(new ScopedResource(Network, "parent of a changed resource"), subnet.Scope!.Observed);

        start = _arm.Calls.Count;
        var group = (await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift), 1, Scope((GroupId, ChangeKind.Write)))).Run!;
        Assert.Equal([("GET", GroupId)], CallsSince(start));
        Assert.Equal(1, group.Scope!.ObservedCount);
    }

    [Fact]
    public async Task Every_Run_Keeps_The_Resource_Index_And_Rewrites_It_Whole_After_A_Failed_Write()
    {
        var reconciler = Reconciler();
        await reconciler.ReconcileAsync(Job(Commit(), RunTrigger.Push));
        Assert.Equal([GroupId, First, Second], _index.Ids("platform/prod").Order(StringComparer.OrdinalIgnoreCase).ToArray());
        Assert.NotNull((await _states.GetAsync("platform/prod"))!.Value.State.ResourceIndexedAt);
        Assert.Equal(1, _index.AddCalls);

        // A run that changes nothing writes nothing to the index.
        await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift));
        Assert.Equal(1, _index.AddCalls);

        // stapp02 leaves git: pruned, and its entry removed after the state is written.
        _index.FailAdds = true;
        var run = (await reconciler.ReconcileAsync(Job(Commit(second: false, network: true), RunTrigger.Push))).Run!;
        Assert.Contains(run.Warnings, w => w.Contains("resource index", StringComparison.Ordinal));
        Assert.Null((await _states.GetAsync("platform/prod"))!.Value.State.ResourceIndexedAt);
        Assert.DoesNotContain(Second, _index.Ids("platform/prod"));

        // The next run writes the whole inventory again.
        _index.FailAdds = false;
        await reconciler.ReconcileAsync(Job(null, RunTrigger.Drift));
        Assert.Equal([GroupId, Network, Subnet, First], _index.Ids("platform/prod").Order(StringComparer.OrdinalIgnoreCase).ToArray());
        Assert.NotNull((await _states.GetAsync("platform/prod"))!.Value.State.ResourceIndexedAt);
    }

    [Fact]
    public void Arm_Parents_Are_Nested_Types_Only()
    {
        Assert.Equal([Network], ObservationScope.ArmParents(Subnet));
        Assert.Empty(ObservationScope.ArmParents(First));
        Assert.Empty(ObservationScope.ArmParents(GroupId));
        Assert.Equal([First], ObservationScope.ArmParents(First + "/blobServices/default").ToArray());
        Assert.Equal([First, First + "/blobServices/default"], ObservationScope.ArmParents(First + "/blobServices/default/containers/c").ToArray());
        Assert.Empty(ObservationScope.ArmParents(First + "/providers/Microsoft.Authorization/roleAssignments/1"));
    }

    /// <summary>An in-memory resource index that counts its writes and can fail them.</summary>
    private sealed class InMemoryIndex : IResourceIndex
    {
        private readonly ConcurrentDictionary<(string Key, string Id), DateTimeOffset> _entries = new();

        public int AddCalls { get; private set; }

        public bool FailAdds { get; set; }

        public IReadOnlyList<string> Ids(string key) => _entries.Keys.Where(k => k.Key == key).Select(k => k.Id).ToList();

        public Task AddAsync(string repository, string environment, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken = default)
        {
            AddCalls++;
            if (FailAdds)
            {
                throw new IOException("index unavailable");
            }

            foreach (var id in resourceIds)
            {
                _entries[(EnvironmentKeys.Of(repository, environment), id)] = DateTimeOffset.UtcNow;
            }

            return Task.CompletedTask;
        }

        public Task RemoveAsync(string repository, string environment, IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken = default)
        {
            foreach (var id in resourceIds)
            {
                _entries.TryRemove((EnvironmentKeys.Of(repository, environment), id), out _);
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<ResourceIndexEntry>> FindAsync(string resourceId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ResourceIndexEntry>>(_entries
                .Where(e => string.Equals(e.Key.Id, resourceId, StringComparison.OrdinalIgnoreCase))
                .Select(e => new ResourceIndexEntry(e.Key.Id, e.Key.Key.Split('/')[0], e.Key.Key.Split('/')[1], e.Value, "etag"))
                .ToList());

        public Task<bool> RemoveStaleAsync(ResourceIndexEntry entry, CancellationToken cancellationToken = default) =>
            Task.FromResult(_entries.TryRemove((EnvironmentKeys.Of(entry.Repository, entry.Environment), entry.ResourceId), out _));
    }
}
