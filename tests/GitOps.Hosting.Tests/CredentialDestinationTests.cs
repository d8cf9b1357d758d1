using System.Net;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Issue 10, item 2, through the hosted runtime: repository content and webhook payloads cannot choose a host that
/// receives a credential. A Key Vault token goes only to an allowed vault host; git fetches only the configured URL.
/// </summary>
[Collection(HostingCollection.CredentialDestination)]
[Trait("Category", "Integration")]
public sealed class CredentialDestinationTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    [Fact]
    public async Task A_Key_Vault_Url_Outside_The_Allowed_Hosts_Fails_The_Reconcile_At_Load_And_Reaches_No_One()
    {
        using var world = new TestWorld(azurite, arm);
        await using var vault = await FakeVault.StartAsync(arm);
        vault.Set("v1", "Hx7-not-for-strangers-01");
        var secretUrl = vault.SecretUrl("app-setting");
        world.WriteResourceGroup("envs/dev", "rg-kv-hosts");
        world.Repository.WriteFile("envs/dev/site.yaml", """
            type: Microsoft.Web/sites@2023-12-01
            name: app-kv
            resourceGroup: rg-kv-hosts
            location: westeurope
            properties: {}
            """);
        // Not appsettings: SecretLeakTests leaves a fault on */config/appsettings in the shared simulator.
        world.Repository.WriteFile("envs/dev/settings.yaml", $"""
            type: Microsoft.Web/sites/config@2023-12-01
            name: app-kv/web
            resourceGroup: rg-kv-hosts
            properties:
              connectionValue: {"${{"} keyvault('{secretUrl}') {"}}"}
            """);
        var commit = world.CommitConfig("a secret on a host nobody allowed", ("dev", "envs/dev", "main"));

        // The vault's host is not an allowed suffix: the run stops at load, before ARM or the vault is called.
        var refused = await world.RuntimeAsync();
        var (_, invalid) = await refused.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(commit)), 1);

        Assert.Equal(RunOutcome.Invalid, invalid!.Outcome);
        var error = Assert.Single(invalid.Errors);
        Assert.Contains("envs/dev/settings.yaml:5:", error, StringComparison.Ordinal);
        Assert.Contains("GO1014", error, StringComparison.Ordinal);
        Assert.Contains(secretUrl, error, StringComparison.Ordinal);
        Assert.Empty(vault.Requests);
        Assert.Empty(world.Writes());

        // The operator allows it: the same commit now reads the secret, with a token, from that host only.
        var allowed = await world.RuntimeAsync(extra: new Dictionary<string, string?> { ["GitOps:KeyVault:AllowedHostSuffixes"] = vault.Address.Authority });
        var (_, applied) = await allowed.Reconcile.RunAsync(ReconcileJobJson.Serialize(TestWorld.PushJob(commit)), 1);

        Assert.True(applied!.Outcome == RunOutcome.Applied, $"{applied.Outcome}: {applied.Summary} {string.Join(Environment.NewLine, applied.Errors)}");
        var read = Assert.Single(vault.Requests);
        Assert.Equal(("/secrets/app-setting", true), read);
    }

    [Fact]
    public async Task A_Push_Naming_Another_Clone_Url_Fetches_Only_The_Configured_Repository()
    {
        using var world = new TestWorld(azurite, arm);
        await using var receiver = await AlertReceiver.StartAsync();
        world.WriteResourceGroup("envs/dev", "rg-clone-url");
        var before = world.CommitConfig("dev", ("dev", "envs/dev", "main"));
        world.WriteResourceGroup("envs/dev", "rg-clone-url", tag: "changed");
        var after = world.Repository.Commit("retag dev");
        var runtime = await world.RuntimeAsync();
        await using var server = await ApiServer.StartAsync(runtime);

        // An authentic delivery whose payload points the clone URL at a server that records every request.
        var (body, headers) = Deliveries.GitHubPush(
            "acme/app-config", receiver.Url("/evil/app-config.git").ToString(), "main", before, after, [], ["envs/dev/rg-clone-url.yaml"], TestWorld.WebhookSecret);
        using var response = await server.Client.SendAsync(Deliveries.Request(body, headers));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // The push job names the configured repository, never a URL; its fan-out and the run read only that one.
        var push = PushJobJson.TryParse(Assert.Single(await runtime.Storage.Queue.PeekMessagesAsync(32)).Text!)!;
        Assert.Equal("app", push.Repository);
        Assert.Equal(["dev"], (await runtime.FanOut.RunAsync(push)).Enqueued);
        var job = (await runtime.Storage.Queue.PeekMessagesAsync(32)).Select(m => m.Text!).Single(t => PushJobJson.TryParse(t) is null);
        var (_, run) = await runtime.Reconcile.RunAsync(job, 1);

        Assert.Equal(RunOutcome.Applied, run!.Outcome);
        Assert.Equal(after, run.Commit!.Sha);
        Assert.Empty(receiver.Requests);
    }
}
