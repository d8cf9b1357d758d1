using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Manifests.Config;
using GitOps.Core.Runs;
using GitOps.Hosting.Http.StatusPage;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>Issue 18 item 1: the api's sync-window override, and the windows on the status page.</summary>
[Collection(HostingCollection.HttpApi)]
[Trait("Category", "Integration")]
public sealed class SyncWindowApiTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient client, string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Sync_With_OverrideWindow_And_A_Reason_Enqueues_A_Job_Carrying_The_Reason()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await ApiServer.StartAsync(runtime);

        var (status, body) = await PostAsync(server.Client, "/api/environments/app/prod/sync", """{"overrideWindow": true, "reason": "hotfix INC-42"}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True(body!["overrideWindow"]!.GetValue<bool>());
        var job = ReconcileJobJson.Parse(Assert.Single(await runtime.Storage.Queue.PeekMessagesAsync(32)).Text!);
        Assert.Equal("hotfix INC-42", job.WindowOverrideReason);
    }

    [Theory]
    [InlineData("""{"overrideWindow": true}""", "needs a reason")]
    [InlineData("""{"overrideWindow": "yes", "reason": "because"}""", "must be true or false")]
    public async Task A_Malformed_Override_Is_400_And_Enqueues_Nothing(string request, string message)
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await ApiServer.StartAsync(runtime);

        var (status, body) = await PostAsync(server.Client, "/api/environments/app/prod/sync", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await runtime.Storage.Queue.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task A_Reason_Without_OverrideWindow_Is_Ignored_As_Sync_Always_Ignored_Its_Body()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await ApiServer.StartAsync(runtime);

        var (status, body) = await PostAsync(server.Client, "/api/environments/app/prod/sync", """{"reason": "because"}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.False(body!["overrideWindow"]!.GetValue<bool>());
        Assert.Null(ReconcileJobJson.Parse(Assert.Single(await runtime.Storage.Queue.PeekMessagesAsync(32)).Text!).WindowOverrideReason);
    }

    [Fact]
    public void Status_Page_Shows_When_The_Windows_Open_Evaluated_At_Render_Time()
    {
        var weekend = new SyncWindow { Kind = SyncWindowKind.Deny, Schedule = "0 18 * * 5", Duration = TimeSpan.FromHours(60), TimeZone = "Europe/Berlin", Name = "<weekend>" };
        var state = EnvironmentState.New("app", "prod") with { SyncWindows = [weekend] };

        var saturday = OverviewPage.Render([state], [], DateTimeOffset.Parse("2027-10-30T12:00:00Z"));
        var tuesday = OverviewPage.Render([state], [], DateTimeOffset.Parse("2027-11-02T12:00:00Z"));

        Assert.Contains("push, drift, manual: closed by deny window &#39;&lt;weekend&gt;&#39;; opens 2027-11-01 04:00 UTC", saturday, StringComparison.Ordinal);
        Assert.Contains("push, drift, manual: open: no deny window is open", tuesday, StringComparison.Ordinal);
        Assert.DoesNotContain("sync-window", OverviewPage.Render([EnvironmentState.New("app", "dev")], [], DateTimeOffset.Parse("2027-11-02T12:00:00Z")), StringComparison.Ordinal);
    }
}
