using Azure.Core;
using Azure.Identity;

namespace GitOps.Arm.Tests;

public class CredentialAndCloudTests
{
    private static readonly TokenRequestContext Context = new([ArmCloud.Public.Scope]);

    [Fact]
    public void Explicit_Token_Wins_Over_Environment()
    {
        TokenCredential credential = ArmCredentialFactory.Create("from-flag", getEnvironmentVariable: _ => "from-env");

        Assert.IsType<StaticTokenCredential>(credential);
        Assert.Equal("from-flag", credential.GetToken(Context, default).Token);
    }

    [Fact]
    public void Environment_Token_Is_Used_When_No_Flag()
    {
        TokenCredential credential = ArmCredentialFactory.Create(
            null, getEnvironmentVariable: name => name == ArmCredentialFactory.TokenEnvironmentVariable ? "from-env" : null);

        Assert.Equal("from-env", credential.GetToken(Context, default).Token);
    }

    [Fact]
    public void Default_Azure_Credential_Without_A_Token()
    {
        Assert.IsType<DefaultAzureCredential>(ArmCredentialFactory.Create(" ", ArmCloud.China, _ => null));
    }

    [Fact]
    public void Static_Token_Strips_Bearer_Prefix_And_Never_Shows_The_Token()
    {
        var credential = new StaticTokenCredential("Bearer abc.def.ghi");

        Assert.Equal("abc.def.ghi", credential.GetToken(Context, default).Token);
        Assert.DoesNotContain("abc", credential.ToString());
        Assert.True(credential.GetToken(Context, default).ExpiresOn > DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("line\r\nX-Injected: 1")]
    public void Static_Token_Rejects_Values_That_Cannot_Be_A_Header(string token)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new StaticTokenCredential(token));
        if (token.Length > 0)
        {
            Assert.DoesNotContain(token, error.Message);
        }
    }

    [Theory]
    [InlineData("public", "https://management.azure.com/", "https://management.azure.com/.default")]
    [InlineData("AzureCloud", "https://management.azure.com/", "https://management.azure.com/.default")]
    [InlineData("china", "https://management.chinacloudapi.cn/", "https://management.chinacloudapi.cn/.default")]
    [InlineData("AzureChinaCloud", "https://management.chinacloudapi.cn/", "https://management.chinacloudapi.cn/.default")]
    [InlineData("usgovernment", "https://management.usgovcloudapi.net/", "https://management.usgovcloudapi.net/.default")]
    [InlineData("AzureUSGovernment", "https://management.usgovcloudapi.net/", "https://management.usgovcloudapi.net/.default")]
    public void Named_Clouds_Have_Their_Endpoint_And_Scope(string name, string endpoint, string scope)
    {
        ArmCloud cloud = ArmCloud.Parse(name);

        Assert.Equal(new Uri(endpoint), cloud.Endpoint);
        Assert.Equal(scope, cloud.Scope);
    }

    [Fact]
    public void China_And_Government_Use_Their_Own_Authorities()
    {
        Assert.Equal(AzureAuthorityHosts.AzureChina, ArmCloud.China.AuthorityHost);
        Assert.Equal(AzureAuthorityHosts.AzureGovernment, ArmCloud.UsGovernment.AuthorityHost);
    }

    [Fact]
    public void Unknown_Cloud_Name_Says_What_Is_Accepted()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ArmCloud.Parse("mars"));
        Assert.Contains("public, china or usgovernment", error.Message);
    }

    [Fact]
    public void Custom_Cloud_Requires_Https_And_Defaults_The_Audience()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => ArmCloud.Custom(new Uri("http://127.0.0.1:8080/")));
        Assert.Contains("https", error.Message);

        ArmCloud custom = ArmCloud.Custom(new Uri("https://127.0.0.1:8443/"), "https://sim.local/");
        Assert.Equal("https://sim.local/.default", custom.Scope);
        Assert.Equal("custom", custom.Name);
        Assert.Equal(ArmCloud.Public.Audience, ArmCloud.Custom(new Uri("https://localhost/")).Audience);
    }

    [Fact]
    public void Out_Of_Range_Options_Are_Rejected_By_The_Client()
    {
        var options = new ArmResourceClientOptions { PollInterval = TimeSpan.Zero };

        ArgumentException error = Assert.Throws<ArgumentException>(() => new ArmResourceClient(new StaticTokenCredential("t"), options));
        Assert.Contains(nameof(ArmResourceClientOptions.PollInterval), error.Message);
    }

    [Theory]
    [InlineData("public", null, "vault.azure.net")]
    [InlineData("china", null, "vault.azure.cn")]
    [InlineData("usgovernment", null, "vault.usgovcloudapi.net")]
    [InlineData("public", "https://localhost:8443/", "vault.azure.net")]
    public void Key_Vault_Hosts_Follow_The_Configured_Cloud_Plus_The_Operator_Suffixes(string cloud, string? endpoint, string cloudSuffix)
    {
        var settings = new ArmConnectionSettings { Cloud = cloud, Endpoint = endpoint, KeyVaultHostSuffixes = ["localhost:8443"] };

        var hosts = settings.CreateKeyVaultHosts();

        Assert.Equal([cloudSuffix, "localhost:8443"], hosts.Suffixes.Select(s => s.ToString()));
        Assert.Null(hosts.Check($"https://kv-app.{cloudSuffix}/secrets/db"));
        Assert.Null(hosts.Check("https://localhost:8443/secrets/db"));
        Assert.NotNull(hosts.Check("https://kv-app.vault.azure.net.evil.example/secrets/db"));
    }

    [Fact]
    public void An_Invalid_Key_Vault_Host_Suffix_Is_A_Settings_Error_Naming_It()
    {
        var settings = new ArmConnectionSettings { KeyVaultHostSuffixes = ["10.0.0.4"] };

        var error = Assert.Throws<ArgumentException>(settings.CreateSecretResolver);

        Assert.Contains("'10.0.0.4'", error.Message, StringComparison.Ordinal);
    }
}
