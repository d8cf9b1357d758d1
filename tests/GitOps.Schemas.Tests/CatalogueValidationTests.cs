using GitOps.Core.Manifests;

namespace GitOps.Schemas.Tests;

public sealed class CatalogueValidationTests
{
    private const string Good = Load.StorageAccount;

    [Fact]
    public void Valid_Storage_Account_Has_No_Findings()
    {
        var result = Load.Single(Good);

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Resources.Single().Schema);
    }

    [Fact]
    public void Misspelt_Property_Is_A_Warning_With_A_Suggestion_At_Its_Line()
    {
        var result = Load.Single(Good.Replace("minimumTlsVersion", "minimumTlsVerison", StringComparison.Ordinal));

        var finding = Load.One(result, DiagnosticCodes.SchemaUnknownProperty);
        Assert.Equal(DiagnosticSeverity.Warning, finding.Severity);
        Assert.Equal(new SourceLocation("main.yaml", 8, 3), finding.Location);
        Assert.Contains("did you mean 'minimumTlsVersion'?", finding.Message, StringComparison.Ordinal);
        Assert.Contains("/properties/minimumTlsVerison", finding.Message, StringComparison.Ordinal);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void Text_For_A_Boolean_Is_A_Type_Mismatch()
    {
        var result = Load.Single(Good.Replace("allowBlobPublicAccess: false", "allowBlobPublicAccess: \"no\"", StringComparison.Ordinal));

        var finding = Load.One(result, DiagnosticCodes.SchemaTypeMismatch);
        Assert.Equal(9, finding.Location.Line);
        Assert.Contains("must be a boolean, not text 'no'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_Outside_A_Closed_Enum_Names_The_Allowed_Values()
    {
        var result = Load.Single(Good.Replace("accessTier: Hot", "accessTier: Warm", StringComparison.Ordinal));

        var finding = Load.One(result, DiagnosticCodes.SchemaTypeMismatch);
        Assert.Equal(10, finding.Location.Line);
        Assert.Contains("'Hot', 'Cool', 'Premium', 'Cold'", finding.Message, StringComparison.Ordinal);
        Assert.Contains("/properties/accessTier", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_Only_Enum_Mismatch_Suggests_The_Canonical_Spelling()
    {
        var result = Load.Single(Good.Replace("accessTier: Hot", "accessTier: hot", StringComparison.Ordinal));

        var finding = Load.One(result, DiagnosticCodes.SchemaTypeMismatch);
        Assert.Contains("the catalogue spells it 'Hot'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensible_Enum_Accepts_Other_Text()
    {
        // minimumTlsVersion is 'TLS1_0' | … | string: a new value is not a finding.
        var result = Load.Single(Good.Replace("TLS1_2", "TLS9_9", StringComparison.Ordinal));

        Load.NoSchemaFindings(result);
    }

    [Fact]
    public void Read_Only_Property_Is_Reported_And_Left_Out_Of_The_Body()
    {
        var result = Load.Single(Good + "\n  provisioningState: Succeeded\n");

        var finding = Load.One(result, DiagnosticCodes.SchemaReadOnlyProperty);
        Assert.Equal(11, finding.Location.Line);
        Assert.Contains("ARM sets this; remove it", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidValue);
        Assert.False(result.Resources.Single().Body["properties"]!.AsObject().ContainsKey("provisioningState"));
    }

    [Fact]
    public void Missing_Required_Property_Is_Reported_At_The_Document()
    {
        var result = Load.Single(Good.Replace("sku: { name: Standard_ZRS }\n", string.Empty, StringComparison.Ordinal));

        var finding = Load.One(result, DiagnosticCodes.SchemaMissingProperty);
        Assert.Contains("'sku'", finding.Message, StringComparison.Ordinal);
        Assert.Equal(1, finding.Location.Line);
    }

    [Fact]
    public void Wrong_Discriminator_Value_Names_The_Allowed_Shapes()
    {
        var result = Load.Single("""
            type: Microsoft.Resources/deploymentScripts@2023-08-01
            name: ds-app
            resourceGroup: rg-app
            location: westeurope
            kind: AzureBash
            properties: { azCliVersion: "2.52.0", retentionInterval: P1D, scriptContent: "echo hi" }
            """);

        var finding = Load.One(result, DiagnosticCodes.SchemaTypeMismatch);
        Assert.Equal(5, finding.Location.Line);
        Assert.Contains("'AzureCLI'", finding.Message, StringComparison.Ordinal);
        Assert.Contains("'AzurePowerShell'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Discriminated_Body_Checks_The_Selected_Shape()
    {
        var result = Load.Single("""
            type: Microsoft.Resources/deploymentScripts@2023-08-01
            name: ds-app
            resourceGroup: rg-app
            location: westeurope
            kind: AzureCLI
            properties: { azCliVersion: "2.52.0", retentionInterval: P1D, scriptContent: "echo hi", azPowerShellVersion: "10.0" }
            """);

        var finding = Load.One(result, DiagnosticCodes.SchemaUnknownProperty);
        Assert.Contains("azPowerShellVersion", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sites_Config_Is_Discriminated_On_The_Resource_Name()
    {
        var result = Load.Single("""
            type: Microsoft.Web/sites/config@2023-12-01
            name: app-shop/web
            resourceGroup: rg-app
            properties: { alwaysOn: true, minTlsVersion: "1.2", http20Enabled: true }
            """);

        Load.NoSchemaFindings(result);
    }

    [Fact]
    public void Unknown_Api_Version_Is_An_Error_Naming_The_Closest_Known_Versions_Newest_Stable_First()
    {
        var result = Load.Single(Good.Replace("2023-05-01", "2023-06-15", StringComparison.Ordinal));

        var finding = Load.One(result, DiagnosticCodes.UnknownResourceType);
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
        Assert.Equal(new SourceLocation("main.yaml", 1, 1), finding.Location);
        var listed = System.Text.RegularExpressions.Regex.Match(finding.Message, "newest stable first: ([0-9a-z-]+(?:, [0-9a-z-]+)*)").Groups[1].Value.TrimEnd('.').Split(", ");
        Assert.True(listed.Length == 5, finding.Message);
        Assert.All(listed, v => Assert.DoesNotContain("preview", v, StringComparison.Ordinal));
        Assert.Equal(listed.OrderDescending(StringComparer.Ordinal), listed);
        Assert.Contains("2023-05-01", listed);
        Assert.Contains("2023-01-01", listed);
        Assert.StartsWith("2026-", listed[0], StringComparison.Ordinal);
        Assert.Contains("schema: off", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_Type_Is_An_Error_With_A_Did_You_Mean()
    {
        var result = Load.Single(Good.Replace("storageAccounts@", "storageAccount@", StringComparison.Ordinal));

        var finding = Load.One(result, DiagnosticCodes.UnknownResourceType);
        Assert.Contains("did you mean 'Microsoft.Storage/storageAccounts'?", finding.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Schema_Off_Skips_The_Catalogue()
    {
        var result = Load.Single(Good.Replace("2023-05-01", "2099-01-01-preview", StringComparison.Ordinal)
            .Replace("minimumTlsVersion", "minimumTlsVerison", StringComparison.Ordinal) + "\nreconcile: { schema: off }\n");

        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Resources.Single().Schema);
        Assert.Equal(Core.Manifests.SchemaCheck.Off, result.Resources.Single().Reconcile.Schema);
    }

    [Fact]
    public void Strict_Turns_Findings_Into_Errors()
    {
        var result = Load.Single(Good.Replace("minimumTlsVersion", "minimumTlsVerison", StringComparison.Ordinal), strict: true);

        var finding = Load.One(result, DiagnosticCodes.SchemaUnknownProperty);
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void Key_Vault_Placeholder_Is_Not_Checked_As_A_Value()
    {
        var result = Load.Single("""
            type: Microsoft.Sql/servers@2023-08-01
            name: sql-shop
            resourceGroup: rg-app
            location: westeurope
            properties:
              administratorLogin: sqladmin
              administratorLoginPassword: ${{ keyvault('https://kv-shop.vault.azure.net/secrets/sql-admin') }}
            """);

        Load.NoSchemaFindings(result);
    }

    [Fact]
    public void Policy_Definition_At_Subscription_Level_Is_Where_The_Catalogue_Allows_It()
    {
        var result = Load.Single("""
            type: Microsoft.Authorization/policyDefinitions@2021-06-01
            name: deny-public-ip
            properties:
              policyType: Custom
              mode: All
              displayName: Deny public IPs
              policyRule: { if: { field: type, equals: Microsoft.Network/publicIPAddresses }, then: { effect: deny } }
            """);

        Load.NoSchemaFindings(result);
    }

    [Fact]
    public void Huge_Body_Is_Checked_Within_Bounds_And_Findings_Are_Capped()
    {
        var rules = string.Concat(Enumerable.Range(0, 400).Select(i => $"\n    - {{ value: 10.0.{i % 250}.{i / 250}, action: Alow, bogus{i}: 1 }}"));
        var result = Load.Single(Good.Replace("accessTier: Hot", "accessTier: Hot\n  networkAcls:\n    defaultAction: Deny\n    ipRules:" + rules, StringComparison.Ordinal));

        var shown = result.Diagnostics.Count(d => d.Code is DiagnosticCodes.SchemaUnknownProperty or DiagnosticCodes.SchemaTypeMismatch);
        Assert.Equal(Core.Manifests.Validation.SchemaValidator.MaxFindings + 1, shown);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("more schema finding(s)", StringComparison.Ordinal));
    }
}
