using GitOps.Hosting.Settings;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Tests;

public sealed class GitOpsSettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Load_Uses_Defaults_When_Nothing_Is_Set()
    {
        var settings = GitOpsSettings.Load(Config());
        Assert.Equal("gitops", settings.Container);
        Assert.Equal("reconcile", settings.QueueName);
        Assert.Empty(settings.Repositories);
        Assert.Equal("0 */1 * * * *", settings.DriftSchedule);
        Assert.Null(settings.ApiKey);
        Assert.Equal(GitOps.Core.Reconcile.ReconcilerOptions.Default.LeaseBusyDelay, settings.LeaseBusyDelay);
        Assert.Equal(new QueueListenerSettings(), settings.Queue);
        Assert.Equal(new GitOps.Arm.ArmConnectionSettings(), settings.Arm);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "gitops-git-cache"), settings.GitCacheRoot);
        Assert.True(settings.TargetedPushes);
        Assert.True(settings.ListExistence);
        Assert.False(settings.AppServiceAuthentication);
    }

    [Fact]
    public void Empty_Settings_Count_As_Unset()
    {
        var settings = GitOpsSettings.Load(Config(("GitOps:Arm:Endpoint", ""), ("GitOps:Container", "  "), ("GitOps:ApiKey", ""), ("GitOps:Queue:BatchSize", "")));

        Assert.Null(settings.Arm.Endpoint);
        Assert.Equal("gitops", settings.Container);
        Assert.Null(settings.ApiKey);
        Assert.Equal(new QueueListenerSettings().BatchSize, settings.Queue.BatchSize);
    }

    [Fact]
    public void Load_Reads_Every_Setting()
    {
        var settings = GitOpsSettings.Load(Config(
            ("GitOps:Container", "c1"),
            ("GitOps:QueueName", "q1"),
            ("GitOps:GitCacheRoot", "/tmp/cache-x"),
            ("GitOps:GitMaxFetchBytes", "2097152"),
            ("GitOps:GitCacheMaxBytes", "4194304"),
            ("GitOps:DriftSchedule", "*/10 * * * * *"),
            ("GitOps:ApiKey", "key-1"),
            ("GitOps:LeaseBusyDelay", "00:00:02"),
            ("GitOps:TargetedPushes", "false"),
            ("GitOps:ListExistence", "False"),
            ("GitOps:AppServiceAuthentication", " true "),
            ("GitOps:Arm:Cloud", "china"),
            ("GitOps:Arm:Endpoint", "https://127.0.0.1:1"),
            ("GitOps:Arm:CaCertificatePath", "/tmp/ca.pem"),
            ("GitOps:Arm:Token", "tok"),
            ("GitOps:Queue:BatchSize", "7"),
            ("GitOps:Queue:NewBatchThreshold", "3"),
            ("GitOps:Queue:VisibilityTimeout", "00:00:05"),
            ("GitOps:Queue:ProcessingTimeout", "00:01:00"),
            ("GitOps:Queue:MaxDequeueCount", "9"),
            ("GitOps:Queue:MaxPollingInterval", "00:00:03"),
            ("GitOps:Repositories:b:Url", "https://github.com/acme/b.git"),
            ("GitOps:Repositories:a:Url", "https://github.com/acme/a.git"),
            ("GitOps:Repositories:a:DefaultBranch", "trunk"),
            ("GitOps:Repositories:a:Token", "t-a"),
            ("GitOps:Repositories:a:TokenScheme", "Bearer"),
            ("GitOps:Repositories:a:TokenUserName", "bot"),
            ("GitOps:Repositories:a:WebhookSecret", "ws"),
            ("GitOps:Repositories:a:WebhookSigningToken", "whsec_x"),
            ("GitOps:Repositories:a:WebhookUser", "hookuser"),
            ("GitOps:Repositories:a:FullName", "acme/a")));

        Assert.Equal("c1", settings.Container);
        Assert.Equal("q1", settings.QueueName);
        Assert.Equal("/tmp/cache-x", settings.GitCacheRoot);
        Assert.Equal(2097152, settings.GitMaxFetchBytes);
        Assert.Equal(4194304, settings.GitCacheMaxBytes);
        Assert.Equal("*/10 * * * * *", settings.DriftSchedule);
        Assert.Equal("key-1", settings.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.LeaseBusyDelay);
        Assert.False(settings.TargetedPushes);
        Assert.False(settings.ListExistence);
        Assert.True(settings.AppServiceAuthentication);
        Assert.Equal(new GitOps.Arm.ArmConnectionSettings { Cloud = "china", Endpoint = "https://127.0.0.1:1", CaCertificatePath = "/tmp/ca.pem", Token = "tok" }, settings.Arm);
        Assert.Equal(
            new QueueListenerSettings
            {
                BatchSize = 7,
                NewBatchThreshold = 3,
                VisibilityTimeout = TimeSpan.FromSeconds(5),
                ProcessingTimeout = TimeSpan.FromMinutes(1),
                MaxDequeueCount = 9,
                MaxPollingInterval = TimeSpan.FromSeconds(3),
            },
            settings.Queue);
        Assert.Equal(["a", "b"], settings.Repositories.Select(r => r.Name));
        Assert.Equal(
            new RepositorySettings
            {
                Name = "a",
                Url = "https://github.com/acme/a.git",
                DefaultBranch = "trunk",
                Token = "t-a",
                TokenScheme = "Bearer",
                TokenUserName = "bot",
                WebhookSecret = "ws",
                WebhookSigningToken = "whsec_x",
                WebhookUser = "hookuser",
                FullName = "acme/a",
            },
            settings.FindRepository("a"));
        Assert.Equal("main", settings.FindRepository("b")!.DefaultBranch);
        Assert.Null(settings.FindRepository("c"));
    }

    [Fact]
    public void Load_Resolves_File_And_Env_References()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "  secret-from-file\n");
        var variable = "GITOPS_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "secret-from-env");
        try
        {
            var settings = GitOpsSettings.Load(Config(
                ("GitOps:Repositories:a:Url", "https://github.com/acme/a.git"),
                ("GitOps:Repositories:a:Token", "file:" + file),
                ("GitOps:Repositories:a:WebhookSecret", "env:" + variable),
                ("GitOps:ApiKey", "env:" + variable),
                ("GitOps:Arm:Token", "file:" + file)));
            Assert.Equal("secret-from-file", settings.Repositories[0].Token);
            Assert.Equal("secret-from-env", settings.Repositories[0].WebhookSecret);
            Assert.Equal("secret-from-env", settings.ApiKey);
            Assert.Equal("secret-from-file", settings.Arm.Token);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            File.Delete(file);
        }
    }

    [Fact]
    public void Load_Names_The_Setting_Of_An_Unresolved_Key_Vault_Reference()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(
            ("GitOps:Repositories:a:Url", "https://github.com/acme/a.git"),
            ("GitOps:Repositories:a:WebhookSecret", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/hook/abc123)"))));
        Assert.Contains("GitOps__Repositories__a__WebhookSecret", error.Message);
        Assert.Contains("Key Vault reference", error.Message);
        Assert.DoesNotContain("kv.vault.azure.net", error.Message);
    }

    [Fact]
    public void Load_Lists_Every_Problem_Together_Without_Secret_Values()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(
            ("GitOps:Queue:BatchSize", "0"),
            ("GitOps:Queue:VisibilityTimeout", "soon"),
            ("GitOps:DriftSchedule", "every minute"),
            ("GitOps:ListExistence", "sometimes"),
            ("GitOps:ApiKey", "env:GITOPS_TEST_UNSET_" + Guid.NewGuid().ToString("N")),
            ("GitOps:Arm:Token", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/arm)"),
            ("GitOps:Repositories:a:Url", "https://github.com/acme/a.git"),
            ("GitOps:Repositories:a:Token", "@Microsoft.KeyVault(VaultName=kv;SecretName=token)"),
            ("GitOps:Repositories:a:WebhookSecret", "file:/nonexistent/hook-secret"),
            ("GitOps:Repositories:b:Token", "plain-secret-value"))));
        var message = error.Message;
        Assert.Contains("GitOps__Queue__BatchSize", message);
        Assert.Contains("GitOps__Queue__VisibilityTimeout", message);
        Assert.Contains("GitOps__DriftSchedule", message);
        Assert.Contains("GitOps__ListExistence is 'sometimes'; expected true or false.", message);
        Assert.Contains("GitOps__ApiKey", message);
        Assert.Contains("GitOps__Arm__Token", message);
        Assert.Contains("GitOps__Repositories__a__Token", message);
        Assert.Contains("GitOps__Repositories__a__WebhookSecret", message);
        Assert.Contains("GitOps__Repositories__b__Url", message);
        Assert.DoesNotContain("plain-secret-value", message);
        Assert.DoesNotContain("SecretName=token", message);
    }

    [Theory]
    [InlineData("ssh://git@github.com/acme/a.git")]
    [InlineData("git@github.com:acme/a.git")]
    public void Load_Refuses_Ssh_Urls_And_Names_The_Https_Alternative(string url)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(("GitOps:Repositories:a:Url", url))));

        Assert.Contains("GitOps__Repositories__a__Url", error.Message);
        Assert.Contains("SSH", error.Message);
        Assert.Contains("https://github.com/acme/a.git", error.Message);
    }

    [Fact]
    public void Load_Refuses_Ssh_Key_Settings_And_Names_The_Token_Setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(
            ("GitOps:Repositories:a:Url", "https://github.com/acme/a.git"),
            ("GitOps:Repositories:a:SshKeyPath", "/keys/id_ed25519"))));

        Assert.Contains("GitOps__Repositories__a__SshKeyPath is set, but SSH is not supported", error.Message);
        Assert.Contains("GitOps__Repositories__a__Token", error.Message);
    }

    [Theory]
    [InlineData("ProcessingTimeout", "00:00:00.500")]
    [InlineData("ProcessingTimeout", "8.00:00:00")]
    [InlineData("VisibilityTimeout", "8.00:00:00")]
    [InlineData("MaxPollingInterval", "00:00:00")]
    [InlineData("MaxPollingInterval", "00:00:00.050")]
    public void Load_Rejects_Queue_Times_The_Queue_Service_Or_Host_Cannot_Use(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(($"GitOps:Queue:{key}", value))));
        Assert.Contains($"GitOps__Queue__{key}", error.Message);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=c2VjcmV0LWFjY291bnQta2V5;BlobEndpoint=not a url;QueueEndpoint=also not")]
    [InlineData("just nonsense c2VjcmV0LWFjY291bnQta2V5")]
    public async Task Runtime_Refuses_A_Bad_Storage_Connection_Without_Echoing_Its_Key(string connectionString)
    {
        var configuration = Config(("AzureWebJobsStorage", connectionString));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GitOpsRuntime.CreateAsync(
            GitOpsSettings.Load(configuration),
            GitOps.Hosting.Standalone.SettingsSources.Reader(configuration),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWFjY291bnQta2V5", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_Vault_Host_Suffixes_Are_Read_Comma_Separated_And_Bad_Ones_Named()
    {
        var settings = GitOpsSettings.Load(Config(("GitOps:KeyVault:AllowedHostSuffixes", "localhost:8443, vault.contoso.internal")));
        var error = Assert.Throws<InvalidOperationException>(() => GitOpsSettings.Load(Config(("GitOps:KeyVault:AllowedHostSuffixes", "localhost:8443,10.0.0.4"))));

        Assert.Equal(["localhost:8443", "vault.contoso.internal"], settings.KeyVault.AllowedHostSuffixes);
        Assert.Empty(GitOpsSettings.Load(Config()).KeyVault.AllowedHostSuffixes);
        Assert.Contains("GitOps__KeyVault__AllowedHostSuffixes", error.Message, StringComparison.Ordinal);
        Assert.Contains("'10.0.0.4'", error.Message, StringComparison.Ordinal);
    }
}
