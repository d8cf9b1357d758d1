using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Testing;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Who can call the api (docs/security.md, "Who can call the api"): over real HTTP against <c>gitops serve</c>'s
/// endpoints, with Azurite behind them, so that "nothing was created" is checked where it would be created.
/// </summary>
[Collection(HostingCollection.ApiAccess)]
[Trait("Category", "Integration")]
public sealed class ApiAccessTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    internal const string OpsKey = "ops-key-0123456789abcdef";
    private const string CiKey = "ci-key-fedcba9876543210";

    private static readonly string[] s_getRoutes =
    [
        "/api/environments", "/api/environments/app/dev", "/api/environments/app/dev/runs",
        "/api/runs", "/api/runs/no-such-run", "/api/status", "/api/status/runs/no-such-run",
    ];

    private static readonly string[] s_postRoutes =
    [
        "/api/environments/app/dev/sync", "/api/environments/app/dev/suspend", "/api/environments/app/dev/resume",
    ];

    internal static Task<ApiServer> StartWithKeysAsync(GitOpsRuntime runtime) =>
        ApiServer.StartAsync(runtime, ApiAccess.Standalone([new NamedApiKey(NamedApiKey.DefaultName, OpsKey), new NamedApiKey("ci", CiKey)]));

    internal static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? key, object? body = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(ApiAccess.ApiKeyHeader, key);
        }

        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private static IConfiguration ServeConfiguration(TestWorld world, params (string Key, string Value)[] extra)
    {
        var values = world.Values.ToDictionary(v => v.Key.Replace(":", "__", StringComparison.Ordinal), v => v.Value);
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return SettingsSources.Build(null, values);
    }

    /// <summary>Everything an api call could have created for this world: state blobs, run records, queue messages.</summary>
    internal static async Task AssertNothingCreatedAsync(GitOpsRuntime runtime)
    {
        Assert.Empty(await runtime.Storage.States.ListAsync());
        Assert.Empty(await runtime.Storage.Runs.ListAsync(null, 50));
        Assert.Empty(await runtime.Storage.Queue.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task Serve_Without_A_Key_Listens_On_Loopback_Only()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var app = await ServeHost.BuildAsync(ServeConfiguration(world), "http://127.0.0.1:0");
        await using (app)
        {
            await app.StartAsync();
            var address = ApiServer.Address(app);
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(address.Host)), $"bound {address}");
            using var client = new HttpClient { BaseAddress = address };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/runs")).StatusCode);
            await app.StopAsync();
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", "0.0.0.0")]
    [InlineData("http://[::]:0", "[::]")]
    [InlineData("http://192.168.1.20:0", "192.168.1.20")]
    [InlineData("http://build-box.example.com:0", "build-box.example.com")]
    [InlineData("http://*:0", "*")]
    public async Task Serve_Without_A_Key_Refuses_A_Non_Loopback_Host_And_Names_The_Setting(string url, string host)
    {
        using var world = new TestWorld(azurite, arm);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServeHost.BuildAsync(ServeConfiguration(world), url));

        Assert.Contains("GitOps__ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains(host, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_With_A_Key_Listens_Beyond_Loopback_And_Requires_The_Key()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var app = await ServeHost.BuildAsync(ServeConfiguration(world, ("GitOps__ApiKey", OpsKey)), "http://0.0.0.0:0");
        await using (app)
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ApiServer.Address(app).Port}") };
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, "/api/runs", key: null)).Status);
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/api/runs", OpsKey)).Status);

            // The Prometheus scrape is behind the same key.
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Standalone.ServeHost.MetricsPath)).StatusCode);
            using var scrape = new HttpRequestMessage(HttpMethod.Get, Standalone.ServeHost.MetricsPath);
            scrape.Headers.Add(ApiAccess.ApiKeyHeader, OpsKey);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(scrape)).StatusCode);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task With_A_Key_Every_Api_Route_Answers_401_Without_It_Or_With_A_Wrong_Key_Of_Any_Length()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await StartWithKeysAsync(runtime);
        string?[] wrongKeys = [null, string.Empty, "x", OpsKey[..^1], OpsKey + "x", OpsKey.ToUpperInvariant(), OpsKey[1..], new string('k', 8000), OpsKey + CiKey];

        foreach (var key in wrongKeys)
        {
            foreach (var route in s_getRoutes)
            {
                var (status, body) = await SendAsync(server.Client, HttpMethod.Get, route, key);
                Assert.True(status == HttpStatusCode.Unauthorized, $"GET {route} with key of length {key?.Length}: {status}");
                Assert.DoesNotContain(OpsKey, body!.ToJsonString(), StringComparison.Ordinal);
            }

            foreach (var route in s_postRoutes)
            {
                var (status, _) = await SendAsync(server.Client, HttpMethod.Post, route, key, new { reason = "r" });
                Assert.True(status == HttpStatusCode.Unauthorized, $"POST {route} with key of length {key?.Length}: {status}");
            }
        }

        await AssertNothingCreatedAsync(runtime);

        // Each configured key opens every route.
        foreach (var key in new[] { OpsKey, CiKey })
        {
            Assert.All(s_getRoutes, route => Assert.NotEqual(HttpStatusCode.Unauthorized, SendAsync(server.Client, HttpMethod.Get, route, key).GetAwaiter().GetResult().Status));
        }

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/dev/sync", CiKey)).Status);
    }

    [Fact]
    public async Task Free_Text_Over_1000_Characters_Or_Of_The_Wrong_Type_Is_400_Naming_The_Field()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await StartWithKeysAsync(runtime);
        const string Suspend = "/api/environments/app/dev/suspend";

        var (status, body) = await SendAsync(server.Client, HttpMethod.Post, Suspend, OpsKey, new { reason = new string('r', 1001) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'reason' is 1001 characters; the limit is 1000", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await SendAsync(server.Client, HttpMethod.Post, Suspend, OpsKey, new { reason = "r", note = new string('n', 1001) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'note'", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await SendAsync(server.Client, HttpMethod.Post, Suspend, OpsKey, new { reason = 42 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'reason' must be a string", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await SendAsync(server.Client, HttpMethod.Post, Suspend, OpsKey, new { reason = "r", until = 20991231 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'until'", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/dev/resume", OpsKey, new { note = new[] { "a" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'note' must be a string", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/dev/sync", OpsKey, new[] { 1, 2 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        await AssertNothingCreatedAsync(runtime);

        // At the limit it is accepted, and recorded whole.
        (status, _) = await SendAsync(server.Client, HttpMethod.Post, Suspend, OpsKey, new { reason = new string('r', 1000) });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1000, (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.Suspension!.Reason.Length);
    }

    [Fact]
    public async Task An_Environment_No_Repository_Declares_Is_404_And_Creates_Nothing()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();

        // 'staging' is declared on another branch only: trust comes from the default branch, so it is not declared.
        world.Repository.CreateBranch("feature");
        world.CommitConfig("staging on a branch", ("dev", "envs/dev", "main"), ("staging", "envs/dev", "feature"));
        world.Repository.Checkout("main");
        var runtime = await world.RuntimeAsync();
        await using var server = await StartWithKeysAsync(runtime);

        foreach (var path in new[] { "/api/environments/app/staging", "/api/environments/app/nowhere", "/api/environments/unknown-repo/dev" })
        {
            foreach (var verb in new[] { "sync", "suspend", "resume" })
            {
                var (status, body) = await SendAsync(server.Client, HttpMethod.Post, $"{path}/{verb}", OpsKey, new { reason = "r" });
                Assert.True(status == HttpStatusCode.NotFound, $"POST {path}/{verb}: {status} {body}");
            }
        }

        // Names that are not plain are 400 before any lookup.
        foreach (var path in new[] { "/api/environments/app/..%2Fdev/sync", $"/api/environments/app/{new string('e', 101)}/sync", "/api/environments/a%20b/dev/suspend" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(server.Client, HttpMethod.Post, path, OpsKey, new { reason = "r" })).Status);
        }

        await AssertNothingCreatedAsync(runtime);
    }

    [Fact]
    public async Task The_Recorded_Actor_Is_The_Key_Name_Even_When_The_Body_Says_Otherwise()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        await using var server = await StartWithKeysAsync(runtime);
        void Claim(HttpRequestMessage request) => request.Headers.Add("x-requested-by", "mallory");

        var (status, body) = await SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/dev/suspend", CiKey, new { reason = "freeze", by = "mallory" }, Claim);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("api-key:ci", body!["by"]!.GetValue<string>());
        var suspension = (await runtime.Storage.States.GetAsync("app/dev"))!.Value.State.Suspension!;
        Assert.Equal("api-key:ci", suspension.By);
        var record = Assert.Single(await runtime.Storage.Runs.ListAsync("app/dev", 10));
        Assert.Equal("api-key:ci", record.RequestedBy);
        Assert.StartsWith("Suspended by api-key:ci (note: mallory): freeze", record.Summary, StringComparison.Ordinal);

        (status, _) = await SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/dev/resume", OpsKey, new { by = "mallory" }, Claim);
        Assert.Equal(HttpStatusCode.Accepted, status);
        (status, _) = await SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/prod/sync", OpsKey, new { by = "mallory" }, Claim);
        Assert.Equal(HttpStatusCode.Accepted, status);

        var jobs = (await runtime.Storage.Queue.PeekMessagesAsync(32)).Select(m => ReconcileJobJson.Parse(m.Text!)).ToList();
        Assert.Equal(["api-key:default", "api-key:default"], jobs.Select(j => j.RequestedBy));
        Assert.Equal("api-key:default", (await runtime.Storage.Runs.ListAsync("app/dev", 10))[0].RequestedBy);
    }

    [Fact]
    public async Task Principal_Headers_Name_The_Caller_Only_Under_The_Functions_Host_With_App_Service_Authentication()
    {
        using var world = new TestWorld(azurite, arm);
        world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        static void Forged(HttpRequestMessage request)
        {
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "alice@contoso.com");
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ID", "00000000-0000-0000-0000-00000000a11c");
        }

        async Task<string> ActorAsync(ApiAccess access, string environment, string? key = null)
        {
            await using var server = await ApiServer.StartAsync(runtime, access);
            var (status, body) = await SendAsync(server.Client, HttpMethod.Post, $"/api/environments/app/{environment}/sync", key, configure: Forged);
            Assert.Equal(HttpStatusCode.Accepted, status);
            return body!["by"]!.GetValue<string>();
        }

        Assert.Equal("entra:alice@contoso.com", await ActorAsync(ApiAccess.FunctionsHost([], appServiceAuthentication: true), "dev"));
        Assert.Equal(ApiAccess.FunctionKeyActor, await ActorAsync(ApiAccess.FunctionsHost([], appServiceAuthentication: false), "dev"));

        // A platform that sets only X-MS-CLIENT-PRINCIPAL: its name claim names the caller.
        var principal = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"auth_typ":"aad","name_typ":"preferred_username","claims":[{"typ":"preferred_username","val":"bob@contoso.com"}]}"""));
        await using (var server = await ApiServer.StartAsync(runtime, ApiAccess.FunctionsHost([], appServiceAuthentication: true)))
        {
            var (status, body) = await SendAsync(server.Client, HttpMethod.Post, "/api/environments/app/dev/sync", key: null, configure: r => r.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal));
            Assert.Equal((HttpStatusCode.Accepted, "entra:bob@contoso.com"), (status, body!["by"]!.GetValue<string>()));
        }

        Assert.Equal("api-key:ci", await ActorAsync(ApiAccess.FunctionsHost([new NamedApiKey("ci", CiKey)], appServiceAuthentication: false), "prod", CiKey));

        // gitops serve has no platform in front of it to strip forged copies: it never reads them.
        Assert.Equal(ApiAccess.LoopbackActor, await ActorAsync(ApiAccess.Standalone([]), "prod"));
        Assert.Equal("api-key:ci", await ActorAsync(ApiAccess.Standalone([new NamedApiKey("ci", CiKey)]), "prod", CiKey));
    }
}
