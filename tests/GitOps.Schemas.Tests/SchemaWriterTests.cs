using System.Text.Json.Nodes;
using GitOps.Core.Schemas;
using GitOps.Core.Tests.Schemas;

namespace GitOps.Schemas.Tests;

/// <summary>The JSON Schema of <c>gitops schema TYPE@API-VERSION</c>, checked with a draft-07 validator on YAML as an editor reads it.</summary>
public sealed class SchemaWriterTests
{
    private static readonly Lazy<JsonObject> ResourceDocument = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "schemas", "resource.schema.json")))!.AsObject());

    private static JsonSchemaValidator For(string type, string apiVersion) =>
        new(JsonSchemaWriter.Write(BicepTypeCatalog.Shared.Find(type, apiVersion)!, ResourceDocument.Value));

    [Fact]
    public void The_Examples_Storage_Account_Passes_Its_Typed_Schema()
    {
        var validator = For("Microsoft.Storage/storageAccounts", "2023-05-01");
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", "envs", "prod", "storage.yaml"));

        Assert.Empty(validator.Validate(YamlJson.Single(yaml)));
    }

    [Theory]
    [InlineData("minimumTlsVersion: TLS1_2", "minimumTlsVerison: TLS1_2", "/properties")]
    [InlineData("allowBlobPublicAccess: false", "allowBlobPublicAccess: \"no\"", "/properties/allowBlobPublicAccess")]
    [InlineData("accessTier: Hot", "accessTier: Warm", "/properties/accessTier")]
    [InlineData("accessTier: Hot", "accessTier: Hot\n  provisioningState: Succeeded", "/properties")]
    public void The_Editor_Flags_What_The_Loader_Warns_About(string find, string replace, string where)
    {
        var validator = For("Microsoft.Storage/storageAccounts", "2023-05-01");
        Assert.Empty(validator.Validate(YamlJson.Single(Load.StorageAccount)));

        var errors = validator.Validate(YamlJson.Single(Load.StorageAccount.Replace(find, replace, StringComparison.Ordinal)));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith(where, e, StringComparison.Ordinal));
    }

    [Fact]
    public void Our_Fields_Keep_The_General_Rules_And_The_Type_Is_Pinned()
    {
        var schema = JsonSchemaWriter.Write(BicepTypeCatalog.Shared.Find("Microsoft.Storage/storageAccounts", "2023-05-01")!, ResourceDocument.Value);
        var validator = new JsonSchemaValidator(schema);

        Assert.Equal("Microsoft.Storage/storageAccounts@2023-05-01", schema["properties"]!["type"]!["enum"]![0]!.GetValue<string>());
        Assert.NotEmpty(validator.Validate(YamlJson.Single(Load.StorageAccount.Replace("2023-05-01", "2024-01-01", StringComparison.Ordinal))));
        Assert.NotEmpty(validator.Validate(YamlJson.Single(Load.StorageAccount + "\nreconcile: { policy: skip }\n")));
        Assert.Empty(validator.Validate(YamlJson.Single(Load.StorageAccount + "\nreconcile: { schema: off }\n")));
    }

    [Fact]
    public void Discriminated_Body_Accepts_Each_Shape_And_Refuses_An_Unknown_Kind()
    {
        var validator = For("Microsoft.DataFactory/factories/integrationRuntimes", "2018-06-01");
        var entry = CorpusEntry.Entries.Single(e => e.Type == "Microsoft.DataFactory/factories/integrationRuntimes");

        Assert.Empty(validator.Validate(YamlJson.Single(entry.ToYaml())));
        Assert.NotEmpty(validator.Validate(YamlJson.Single(entry.ToYaml().Replace("\"SelfHosted\"", "\"SelfHostd\"", StringComparison.Ordinal))));
    }

    [Fact]
    public void Corpus_Bodies_Without_Known_Findings_Pass_Their_Typed_Schemas()
    {
        var known = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "testdata", "corpus", "known-findings.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var entry in CorpusEntry.Entries.Where(e => !known.Contains($"{e.Type}@{e.ApiVersion}")))
        {
            var schema = BicepTypeCatalog.Shared.Find(entry.Type, entry.ApiVersion)!;
            var inGroup = (schema.WritableScopes & ResourceScopes.ResourceGroup) != 0;
            var errors = new JsonSchemaValidator(JsonSchemaWriter.Write(schema, ResourceDocument.Value)).Validate(YamlJson.Single(entry.ToYaml(inGroup)));
            failures.AddRange(errors.Select(e => $"{entry.Type}@{entry.ApiVersion}: {e}"));
            checkedCount++;
        }

        Assert.True(checkedCount >= 150, $"{checkedCount} checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_Large_Type_Stays_Within_The_Definition_Bound()
    {
        var schema = JsonSchemaWriter.Write(BicepTypeCatalog.Shared.Find("Microsoft.Web/sites", "2023-12-01")!, ResourceDocument.Value);

        Assert.InRange(schema["definitions"]!.AsObject().Count, 10, JsonSchemaWriter.MaxDefinitions + 3);
        Assert.NotNull(new JsonSchemaValidator(schema));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "GitOpsFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("GitOpsFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
