using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

/// <summary>
/// Issue 10, item 2: a <c>keyvault()</c> URL decides where the reconciler's Key Vault token goes, so the loader accepts
/// only vaults of the configured cloud and the operator's suffixes, and reports anything else at its file and line.
/// </summary>
public class KeyVaultHostTests
{
    private static string Document(string url) =>
        "type: Microsoft.Sql/servers@2023-08-01\nname: sql-app\nresourceGroup: rg-app\nlocation: westeurope\nproperties:\n"
        + "  administratorLoginPassword: ${{ keyvault('" + url + "') }}\n";

    private static EnvironmentLoadResult Load(string url, KeyVaultHostOptions? hosts = null) =>
        LoadSingle(Document(url), limits: ManifestLimits.Default with { KeyVaultHosts = hosts ?? KeyVaultHostOptions.PublicCloud });

    [Theory]
    [InlineData("https://evil.example/secrets/db-password", "names evil.example")]
    [InlineData("https://evilvault.azure.net/secrets/db-password", "names evilvault.azure.net")]
    [InlineData("https://vault.azure.net.evil.example/secrets/db-password", "names vault.azure.net.evil.example")]
    [InlineData("https://kv-app.vault.azure.cn/secrets/db-password", "names kv-app.vault.azure.cn")]
    [InlineData("http://kv-app.vault.azure.net/secrets/db-password", "not an https:// URL")]
    [InlineData("https://user:pass@kv-app.vault.azure.net/secrets/db-password", "user info")]
    [InlineData("https://evil.example@kv-app.vault.azure.net/secrets/db-password", "user info")]
    [InlineData("https://kv-app.vault.azure.net:8443/secrets/db-password", "names kv-app.vault.azure.net:8443")]
    [InlineData("https://kv-app.vault.azure.net:0443x/secrets/db-password", "invalid port")]
    [InlineData("https://10.0.0.4/secrets/db-password", "IP address")]
    [InlineData("https://[::1]/secrets/db-password", "IP address")]
    [InlineData("https://0x7f000001/secrets/db-password", "IP address")]
    [InlineData("https://kv-app.vault.azure.net./secrets/db-password", "with a dot")]
    [InlineData("https://kv-app.vаult.azure.net/secrets/db-password", "non-ASCII")]
    [InlineData("https://kv-app.xn--vult-8ve.azure.net/secrets/db-password", "punycode")]
    [InlineData("https://xn--kv-app-8ve.vault.azure.net/secrets/db-password", "punycode")]
    [InlineData("https://kv-app.vault.azure.net/secrets/../keys/db-password", "path other than")]
    [InlineData("https://kv-app.vault.azure.net/secrets/db-password/", "path other than")]
    [InlineData("https://kv-app.vault.azure.net/secrets/db%2Fpassword", "'%' escape")]
    [InlineData("https://kv-app.vault.azure.net\\@evil.example/secrets/db-password", "'\\'")]
    [InlineData("https://kv_app.vault.azure.net/secrets/db-password", "not a DNS name")]
    public void A_Secret_Url_Outside_The_Allowed_Key_Vault_Hosts_Is_A_Load_Error_At_Its_Line(string url, string reason)
    {
        var result = Load(url);

        var error = Single(result.Diagnostics, DiagnosticCodes.UntrustedSecretUrl);
        AssertAt(error, "main.yaml", 6, 35);
        Assert.Contains($"'{url}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("GitOps__KeyVault__AllowedHostSuffixes", error.Hint, StringComparison.Ordinal);
        Assert.Empty(result.Resources.SelectMany(r => r.SecretReferences));
    }

    [Theory]
    [InlineData(KeyVaultHostOptions.PublicCloudSuffix, "https://kv-app.vault.azure.net/secrets/db-password")]
    [InlineData(KeyVaultHostOptions.PublicCloudSuffix, "https://KV-App.Vault.Azure.Net/secrets/db-password/0123456789abcdef0123456789abcdef")]
    [InlineData(KeyVaultHostOptions.PublicCloudSuffix, "https://kv-app.vault.azure.net:443/secrets/db-password")]
    [InlineData(KeyVaultHostOptions.ChinaCloudSuffix, "https://kv-app.vault.azure.cn/secrets/db-password")]
    [InlineData(KeyVaultHostOptions.UsGovernmentCloudSuffix, "https://kv-app.vault.usgovcloudapi.net/secrets/db-password")]
    public void A_Vault_Of_The_Configured_Cloud_Is_Accepted(string cloudSuffix, string url)
    {
        var result = Load(url, KeyVaultHostOptions.Create(cloudSuffix));

        AssertNoErrors(result);
        Assert.Equal(url, result.Resources.Single().SecretReferences.Single().Url);
    }

    [Fact]
    public void A_Public_Cloud_Vault_Is_Refused_When_The_Cloud_Is_China()
    {
        var result = Load("https://kv-app.vault.azure.net/secrets/db-password", KeyVaultHostOptions.Create(KeyVaultHostOptions.ChinaCloudSuffix));

        var error = Single(result.Diagnostics, DiagnosticCodes.UntrustedSecretUrl);
        Assert.Contains("allowed host suffixes: vault.azure.cn", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://VAULT.vault.azure.cn/secrets/NAME", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Operator_Suffix_Allows_Its_Host_And_Only_Its_Port()
    {
        var hosts = KeyVaultHostOptions.Create(KeyVaultHostOptions.PublicCloudSuffix, ["localhost:8443", "*.vault.contoso.internal"]);

        AssertNoErrors(Load("https://localhost:8443/secrets/db-password", hosts));
        AssertNoErrors(Load("https://kv.vault.contoso.internal/secrets/db-password", hosts));
        Assert.Contains("names localhost:9443", Single(Load("https://localhost:9443/secrets/db-password", hosts).Diagnostics, DiagnosticCodes.UntrustedSecretUrl).Message, StringComparison.Ordinal);
        Assert.Contains("names localhost,", Single(Load("https://localhost/secrets/db-password", hosts).Diagnostics, DiagnosticCodes.UntrustedSecretUrl).Message, StringComparison.Ordinal);
        Assert.Single(Load("https://evilvault.contoso.internal/secrets/db-password", hosts).Diagnostics, d => d.Code == DiagnosticCodes.UntrustedSecretUrl);
    }

    [Theory]
    [InlineData("127.0.0.1:8443", "IP address")]
    [InlineData("[::1]", "IP address")]
    [InlineData("localhost:http", "invalid port")]
    [InlineData("localhost:70000", "invalid port")]
    [InlineData("vault..example", "not a DNS name")]
    [InlineData("xn--vult-8ve.example", "not a DNS name")]
    public void An_Operator_Suffix_That_Is_Not_A_Dns_Suffix_Is_Refused_With_Its_Text(string entry, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => KeyVaultHostOptions.Create(KeyVaultHostOptions.PublicCloudSuffix, [entry]));

        Assert.Contains($"'{entry}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Loader_Refuses_A_Foreign_Host_By_Default()
    {
        var result = new ManifestLoader().LoadEnvironment(
            new InMemoryFileTree().Add("main.yaml", Document("https://evil.example/secrets/db-password")), Environment());

        Assert.Equal(DiagnosticCodes.UntrustedSecretUrl, Assert.Single(result.Diagnostics).Code);
    }
}
