using GitOps.Core.Manifests;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class KeyVaultExpressionTests
{
    private const string Url = "https://kv-app.vault.azure.net/secrets/db-password";

    private static string Kv(string url) => "${{ keyvault('" + url + "') }}";

    private static EnvironmentLoadResult Load(string properties, string name = "sql-app") =>
        LoadSingle($"type: Microsoft.Sql/servers@2023-08-01\nname: {name}\nresourceGroup: rg-app\nlocation: westeurope\nproperties:\n" + properties);

    [Fact]
    public void KeyVault_Leaves_A_Placeholder_And_Records_The_Field_And_Url()
    {
        var result = Load($$"""
              administratorLoginPassword: {{Kv(Url)}}
              pinned: "{{Kv(Url + "/0123456789abcdef")}}"
              list: [ "{{Kv(Url)}}" ]
            """);

        AssertNoErrors(result);
        var resource = result.Resources.Single();
        Assert.Equal(
            [
                new SecretReference("/properties/administratorLoginPassword", Url),
                new SecretReference("/properties/pinned", Url + "/0123456789abcdef"),
                new SecretReference("/properties/list/0", Url),
            ],
            resource.SecretReferences);
        Assert.Equal("gitops-secret:" + Url, resource.Body["properties"]!["administratorLoginPassword"]!.GetValue<string>());
        Assert.Equal("gitops-secret:" + Url, resource.Body["properties"]!["list"]![0]!.GetValue<string>());
    }

    [Fact]
    public void KeyVault_Inside_Longer_Text_Is_An_Error_Naming_The_Field()
    {
        var result = Load($$"""
              connection: "Server=x;Password={{Kv(Url)}}"
            """);

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        Assert.Contains("must be the whole value of /properties/connection", error.Message, StringComparison.Ordinal);
        AssertAt(error, "main.yaml", 6, 15);
        Assert.True(result.HasErrors);
    }

    [Theory]
    [InlineData("http://kv-app.vault.azure.net/secrets/db-password")]
    [InlineData("https://kv-app.vault.azure.net/keys/db-password")]
    [InlineData("https://kv-app.vault.azure.net/secrets/")]
    [InlineData("https://kv-app.vault.azure.net/secrets/db-password?api-version=7.4")]
    [InlineData("not a url")]
    public void KeyVault_Rejects_What_Is_Not_A_Secret_Url(string url)
    {
        var result = Load($$"""
              administratorLoginPassword: {{Kv(url)}}
            """);

        var error = Single(result.Diagnostics, DiagnosticCodes.UntrustedSecretUrl);
        Assert.Contains("is not an allowed Key Vault secret URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://VAULT.vault.azure.net/secrets/NAME", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyVault_Is_Refused_In_A_Resource_Name_And_In_Keys()
    {
        var inName = Load("  x: 1\n", name: Kv(Url));
        Assert.Contains(inName.Diagnostics, d => d.Message.Contains("secrets can only be values inside a resource body", StringComparison.Ordinal));

        var inKey = Load($$"""
              {{Kv(Url)}}: value
            """);
        Assert.Contains(inKey.Diagnostics, d => d.Message.Contains("A secret cannot be a key", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyVault_Takes_Exactly_One_Argument()
    {
        var result = Load("""
              password: ${{ keyvault() }}
            """);

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        Assert.Contains("takes exactly one argument: the secret URL", error.Message, StringComparison.Ordinal);
    }
}
