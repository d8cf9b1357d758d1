using Azure.Data.Tables;
using GitOps.Core.Events;
using GitOps.Core.Runs;
using GitOps.Storage.Reconcile;
using GitOps.Storage.Tables;
using GitOps.Storage.Tests.Reconcile;
using GitOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Storage.Tests.Tables;

/// <summary>The resource index and the change inbox on Azurite's Table service.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EventTablesTests(AzuriteFixture azurite)
{
    private const string Sub = "00000000-0000-0000-0000-0000000000aa";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static string Id(int i) => $"/subscriptions/{Sub}/resourceGroups/rg-{i % 7}/providers/Microsoft.Storage/storageAccounts/st{i:D5}";

    private async Task<GitOpsStorage> NewStorageAsync(TimeProvider? time = null) =>
        await GitOpsStorage.CreateAsync(StorageConnection.Parse(azurite.ConnectionString), StoreTestSupport.NewOptions() with { TimeProvider = time ?? TimeProvider.System });

    private static ChangeAttribution Change(string id, string who = "alice@contoso.com") =>
        new(id, new ChangeActor(who, ClientTypes.PortalAppId, "oid-1", "User", "portal"), ChangeKind.Write, "Microsoft.Storage/storageAccounts/write", "corr-1", T0, ChangeAttribution.EventSource);

    [Fact]
    public async Task The_Index_Finds_Every_Environment_Of_An_Id_Whatever_Its_Case_Across_Many_Partitions()
    {
        var storage = await NewStorageAsync();
        var ids = Enumerable.Range(0, 450).Select(Id).ToList();
        await storage.Index.AddAsync("platform", "prod", ids);
        await storage.Index.AddAsync("platform", "prod", ids.Take(10).ToList());
        await storage.Index.AddAsync("apps", "dev", [ids[3]]);

        var found = await storage.Index.FindAsync(ids[3].ToUpperInvariant());

        Assert.Equal(["apps/dev", "platform/prod"], found.Select(f => EnvironmentKeys.Of(f.Repository, f.Environment)).Order(StringComparer.Ordinal).ToArray());
        Assert.All(found, f => Assert.Equal(ids[3], f.ResourceId));
        Assert.Single(await storage.Index.FindAsync(ids[449]));
        Assert.Empty(await storage.Index.FindAsync(Id(9999)));
        Assert.Empty(await storage.Index.FindAsync($"/subscriptions/{Sub}/resourceGroups/rg-3"));

        // Partitions are spread (the first two hash digits), so a whole inventory is few transactions, not one per id.
        var partitions = new HashSet<string>();
        await foreach (var entity in storage.Index.Table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            partitions.Add(entity.PartitionKey);
        }

        Assert.True(partitions.Count > 200, $"{partitions.Count} partitions");
    }

    [Fact]
    public async Task Removing_Ids_Ignores_Missing_Ones_And_A_Stale_Entry_Goes_Only_If_Unchanged()
    {
        var time = new FakeTimeProvider(T0);
        var storage = await NewStorageAsync(time);
        await storage.Index.AddAsync("platform", "prod", [Id(1), Id(2)]);

        await storage.Index.RemoveAsync("platform", "prod", [Id(1), Id(3)]);
        Assert.Empty(await storage.Index.FindAsync(Id(1)));

        var stale = Assert.Single(await storage.Index.FindAsync(Id(2)));
        Assert.Equal(T0, stale.UpdatedAt);
        time.Advance(TimeSpan.FromSeconds(5));
        await storage.Index.AddAsync("platform", "prod", [Id(2)]);
        var rewritten = Assert.Single(await storage.Index.FindAsync(Id(2)));
        Assert.True(stale.ETag != rewritten.ETag, $"{stale.ETag} {rewritten.ETag}");
        Assert.False(await storage.Index.RemoveStaleAsync(stale));
        var current = Assert.Single(await storage.Index.FindAsync(Id(2)));
        Assert.Equal(T0.AddSeconds(5), current.UpdatedAt);
        Assert.True(await storage.Index.RemoveStaleAsync(current));
        Assert.False(await storage.Index.RemoveStaleAsync(current));
        Assert.Empty(await storage.Index.FindAsync(Id(2)));
    }

    [Fact]
    public async Task The_Inbox_Keeps_One_Change_Per_Resource_And_An_Acknowledgement_Spares_A_Newer_One()
    {
        var storage = await NewStorageAsync();
        var inbox = storage.Inbox;
        foreach (var i in Enumerable.Range(0, 120))
        {
            await inbox.AddAsync("platform", "prod", Change(Id(i)));
        }

        await inbox.AddAsync("platform", "prod", Change(Id(0), "bob@contoso.com"));
        await inbox.AddAsync("apps", "dev", Change(Id(0)));

        var items = await inbox.ReadAsync("platform", "prod", 1000);
        Assert.Equal(120, items.Count);
        var first = items.Single(i => i.Change.ResourceId == Id(0));
        Assert.Equal("bob@contoso.com (portal)", first.Change.Actor.Display);
        Assert.Equal(ChangeKind.Write, first.Change.Kind);
        Assert.Equal(T0, first.Change.ChangedAt);
        Assert.Equal("corr-1", first.Change.CorrelationId);
        Assert.Equal(50, (await inbox.ReadAsync("platform", "prod", 50)).Count);

        // A newer event for stapp00005 arrives while the run works on the snapshot.
        await inbox.AddAsync("platform", "prod", Change(Id(5), "carol@contoso.com"));
        await inbox.AcknowledgeAsync("platform", "prod", items);

        var left = Assert.Single(await inbox.ReadAsync("platform", "prod", 1000));
        Assert.Equal(Id(5), left.Change.ResourceId);
        Assert.Equal("carol@contoso.com (portal)", left.Change.Actor.Display);
        Assert.Single(await inbox.ReadAsync("apps", "dev", 1000));
    }

    [Fact]
    public async Task One_Mark_Per_Environment_Until_Cleared_Or_Expired()
    {
        var storage = await NewStorageAsync();
        var inbox = storage.Inbox;
        var expiry = TimeSpan.FromMinutes(30);

        Assert.True(await inbox.TryMarkScheduledAsync("platform", "prod", "job-1", T0, expiry));
        Assert.False(await inbox.TryMarkScheduledAsync("platform", "prod", "job-2", T0.AddMinutes(1), expiry));
        Assert.True(await inbox.TryMarkScheduledAsync("apps", "dev", "job-3", T0, expiry));

        // A mark older than the expiry is taken for a lost job.
        Assert.True(await inbox.TryMarkScheduledAsync("platform", "prod", "job-4", T0.AddMinutes(31), expiry));
        Assert.False(await inbox.TryMarkScheduledAsync("platform", "prod", "job-5", T0.AddMinutes(32), expiry));

        await inbox.ClearScheduledAsync("platform", "prod");
        await inbox.ClearScheduledAsync("platform", "prod");
        Assert.True(await inbox.TryMarkScheduledAsync("platform", "prod", "job-6", T0.AddMinutes(33), expiry));

        // The mark is no change: reading the inbox never returns it.
        Assert.Empty(await inbox.ReadAsync("platform", "prod", 10));
    }

    [Fact]
    public void Tables_Follow_The_Container_Name()
    {
        Assert.Equal(TableResourceIndex.DefaultTableName, GitOpsStorageOptions.Default.EffectiveIndexTableName);
        Assert.Equal(TableChangeInbox.DefaultTableName, GitOpsStorageOptions.Default.EffectiveInboxTableName);
        Assert.Equal(TableRunLedger.DefaultTableName, GitOpsStorageOptions.Default.EffectiveTableName);
        var other = new GitOpsStorageOptions { ContainerName = "team-a" };
        Assert.Equal("teamaindex", other.EffectiveIndexTableName);
        Assert.Equal("teamaevents", other.EffectiveInboxTableName);
        Assert.Equal("teamaruns", other.EffectiveTableName);
    }
}
