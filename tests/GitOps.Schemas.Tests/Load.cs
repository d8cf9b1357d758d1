using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Schemas;

namespace GitOps.Schemas.Tests;

/// <summary>Loads manifests with the real catalogue.</summary>
internal static class Load
{
    public const string Subscription = "11111111-2222-3333-4444-555555555555";

    /// <summary>A storage account the catalogue accepts as it is.</summary>
    public const string StorageAccount = """
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: stapp01
        resourceGroup: rg-app
        location: westeurope
        sku: { name: Standard_ZRS }
        kind: StorageV2
        properties:
          minimumTlsVersion: TLS1_2
          allowBlobPublicAccess: false
          accessTier: Hot
        """;

    public static EnvironmentDefinition Environment(bool strict = false) => new()
    {
        Name = "test",
        Path = string.Empty,
        SubscriptionId = Subscription,
        StrictSchema = strict,
        Location = new SourceLocation("gitops.yaml", 2, 5),
    };

    /// <summary>One file, the only manifest of an environment at the root.</summary>
    public static EnvironmentLoadResult Single(string yaml, bool strict = false, IResourceTypeCatalog? types = null, EnvironmentDefinition? environment = null) =>
        new ManifestLoader(types: types ?? BicepTypeCatalog.Shared).LoadEnvironment(new InMemoryFileTree().Add("main.yaml", yaml), environment ?? Environment(strict));

    public static Diagnostic One(EnvironmentLoadResult result, string code)
    {
        var matching = result.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(matching.Count == 1, $"Expected one {code}, got:\n{string.Join("\n", result.Diagnostics)}");
        return matching[0];
    }

    public static void NoSchemaFindings(EnvironmentLoadResult result) =>
        Assert.True(
            !result.Diagnostics.Any(d => d.Code is DiagnosticCodes.UnknownResourceType or DiagnosticCodes.SchemaUnknownProperty
                or DiagnosticCodes.SchemaTypeMismatch or DiagnosticCodes.SchemaReadOnlyProperty or DiagnosticCodes.SchemaMissingProperty),
            string.Join("\n", result.Diagnostics));
}
