namespace GitOps.Schemas.Tests;

public sealed class BicepTypeCatalogTests
{
    private static readonly string[] Keys =
    [
        "Microsoft.Storage/storageAccounts@2023-05-01", "Microsoft.KeyVault/vaults@2023-07-01",
        "Microsoft.Network/virtualNetworks@2024-05-01", "Microsoft.Web/sites@2023-12-01",
    ];

    [Fact]
    public void Each_Type_Is_Loaded_Once_However_Many_Threads_Ask()
    {
        var catalogue = new BicepTypeCatalog();
        var found = new System.Collections.Concurrent.ConcurrentBag<(string Key, object Schema)>();

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var key = Keys[i % Keys.Length];
            var at = key.LastIndexOf('@');
            found.Add((key, catalogue.Find(key[..at], key[(at + 1)..])!));
        });

        Assert.Equal(Keys.Length, catalogue.LoadCount);
        Assert.All(found.GroupBy(f => f.Key), group => Assert.Single(group.Select(g => g.Schema).Distinct(ReferenceEqualityComparer.Instance)));
    }

    [Fact]
    public void Lookups_Ignore_Case_And_Unknown_Keys_Load_Nothing()
    {
        var catalogue = new BicepTypeCatalog();

        var schema = catalogue.Find("microsoft.storage/STORAGEACCOUNTS", "2023-05-01");
        Assert.NotNull(schema);
        Assert.Equal("Microsoft.Storage/storageAccounts", schema.Type);
        Assert.Null(catalogue.Find("Microsoft.Storage/storageAccounts", "2023-05-02"));
        Assert.Equal(1, catalogue.LoadCount);
        Assert.Contains("2023-05-01", catalogue.ApiVersions("MICROSOFT.STORAGE/storageaccounts"));
        Assert.Empty(catalogue.ApiVersions("Contoso.Nothing/here"));
        Assert.StartsWith("Azure.Bicep.Types.Az 0.2.972", catalogue.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Scopes_Come_From_The_Catalogue()
    {
        var catalogue = new BicepTypeCatalog();

        Assert.Equal(Core.Schemas.ResourceScopes.Tenant, catalogue.Find("Microsoft.Management/managementGroups", "2021-04-01")!.WritableScopes);
        Assert.Equal(
            Core.Schemas.ResourceScopes.ManagementGroup | Core.Schemas.ResourceScopes.Subscription,
            catalogue.Find("Microsoft.Authorization/policyDefinitions", "2021-06-01")!.WritableScopes);
        Assert.True(catalogue.Find("Microsoft.Authorization/roleDefinitions", "2022-04-01")!.WritableScopes.HasFlag(Core.Schemas.ResourceScopes.Extension));
    }
}
