using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using GitOps.ArmSimulator.Events;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

/// <summary>The events the simulator raises for writes and deletes, delivered to an Azurite queue as Event Grid does.</summary>
[Trait("Category", "Integration")]
public sealed class EventTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Sub = "6a1f0b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c";
    private const string Group = $"/subscriptions/{Sub}/resourceGroups/rg-events";
    private const string Account = Group + "/providers/Microsoft.Storage/storageAccounts/stevents";
    private const string AccountBody = """{"location":"westeurope","sku":{"name":"Standard_LRS"},"kind":"StorageV2","properties":{"minimumTlsVersion":"TLS1_2"}}""";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>An unsigned JWT with the claims an Entra ID token for ARM carries (the simulator checks no signature).</summary>
    public static string Jwt(JsonObject claims) =>
        $"{Url(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" })}.{Url(claims)}.c2lnbmF0dXJl";

    private static string Url(JsonObject json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonObject Alice() => new()
    {
        ["aud"] = "https://management.core.windows.net/",
        ["iss"] = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
        ["iat"] = 1731000000,
        ["appid"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        ["oid"] = "3f9c1e4a-2b7d-4e8f-9a6c-1d2e3f4a5b6c",
        ["tid"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        ["upn"] = "alice@contoso.com",
        ["name"] = "Alice Smith",
        ["amr"] = new JsonArray("pwd", "mfa"),
    };

    private async Task<(ArmSimulatorServer Server, QueueClient Queue)> StartAsync(ArmEventDestination? change = null)
    {
        var queueName = AzuriteFixture.UniqueName("events");
        var destination = (change ?? new ArmEventDestination { ConnectionString = azurite.ConnectionString, QueueName = queueName }) with { ConnectionString = azurite.ConnectionString, QueueName = queueName };
        var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { Events = destination });
        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2025_11_05));
        return (server, queue);
    }

    private static HttpClient Client(ArmSimulatorServer server, string token)
    {
        var client = new HttpClient(server.CreateHttpMessageHandler()) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<List<string>> ReceiveAsync(ArmSimulatorServer server, QueueClient queue, int count)
    {
        await server.State.FlushEventsAsync(Deadline);
        var texts = new List<string>();
        var until = DateTime.UtcNow + Deadline;
        while (texts.Count < count && DateTime.UtcNow < until)
        {
            foreach (var message in (await queue.ReceiveMessagesAsync(32)).Value)
            {
                texts.Add(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        Assert.Equal(count, texts.Count);
        return texts;
    }

    private static JsonObject Decode(string text) => JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(text)))!.AsObject();

    [Fact]
    public async Task A_Create_Update_And_Delete_Each_Publish_An_Event_With_The_Callers_Claims_As_Base64_Event_Grid_Messages()
    {
        var (server, queue) = await StartAsync();
        await using var _ = server;
        using var client = Client(server, Jwt(Alice()));

        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(Group, """{"location":"westeurope"}""", "2024-03-01")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(Account, AccountBody)).StatusCode);
        var update = new HttpRequestMessage(HttpMethod.Put, Account + "?api-version=2023-05-01") { Content = new StringContent(AccountBody, Encoding.UTF8, "application/json") };
        update.Headers.Add("x-ms-client-request-id", "client-request-1");
        update.Headers.Add("x-ms-correlation-request-id", "correlation-1");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(update)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync(Account, ArmHttp.StorageApi)).StatusCode);

        var events = (await ReceiveAsync(server, queue, 4)).Select(Decode).ToList();
        var byType = events.Select(e => (e["eventType"]!.GetValue<string>(), e["subject"]!.GetValue<string>())).Order().ToList();
        Assert.Equal(
            new[]
            {
                ("Microsoft.Resources.ResourceDeleteSuccess", Account),
                ("Microsoft.Resources.ResourceWriteSuccess", Group),
                ("Microsoft.Resources.ResourceWriteSuccess", Account),
                ("Microsoft.Resources.ResourceWriteSuccess", Account),
            }.Order().ToList(),
            byType);

        var updated = events.Single(e => e["data"]!["correlationId"]?.GetValue<string>() == "correlation-1");
        Assert.Equal($"/subscriptions/{Sub}", updated["topic"]!.GetValue<string>());
        Assert.Equal("2", updated["dataVersion"]!.GetValue<string>());
        var data = updated["data"]!.AsObject();
        Assert.Equal("Microsoft.Storage/storageAccounts/write", data["operationName"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage", data["resourceProvider"]!.GetValue<string>());
        Assert.Equal(Account, data["resourceUri"]!.GetValue<string>());
        Assert.Equal("Succeeded", data["status"]!.GetValue<string>());
        Assert.Equal(Sub, data["subscriptionId"]!.GetValue<string>());
        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", data["tenantId"]!.GetValue<string>());
        Assert.Equal("client-request-1", data["httpRequest"]!["clientRequestId"]!.GetValue<string>());
        Assert.Equal("PUT", data["httpRequest"]!["method"]!.GetValue<string>());
        Assert.EndsWith(Account + "?api-version=2023-05-01", data["httpRequest"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);

        // The token's claims, short names mapped to the URIs ARM writes, every value a string.
        var claims = data["claims"]!.AsObject();
        Assert.Equal("alice@contoso.com", claims[ArmCallerClaims.UpnClaim]!.GetValue<string>());
        Assert.Equal("3f9c1e4a-2b7d-4e8f-9a6c-1d2e3f4a5b6c", claims[ArmCallerClaims.ObjectIdClaim]!.GetValue<string>());
        Assert.Equal("04b07795-8ddb-461a-bbee-02f9e1bf7b46", claims["appid"]!.GetValue<string>());
        Assert.Equal("1731000000", claims["iat"]!.GetValue<string>());
        Assert.Equal("pwd,mfa", claims["http://schemas.microsoft.com/claims/authnmethodsreferences"]!.GetValue<string>());
        var evidence = data["authorization"]!["evidence"]!.AsObject();
        Assert.Equal("3f9c1e4a2b7d4e8f9a6c1d2e3f4a5b6c", evidence["principalId"]!.GetValue<string>());
        Assert.Equal("User", evidence["principalType"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage/storageAccounts/write", data["authorization"]!["action"]!.GetValue<string>());

        // ARM leaves httpRequest out of a create.
        var created = events.Where(e => e["eventType"]!.GetValue<string>().EndsWith("WriteSuccess", StringComparison.Ordinal) && e["data"]!["correlationId"]?.GetValue<string>() != "correlation-1");
        Assert.All(created, e => Assert.Null(e["data"]!["httpRequest"]));
        Assert.Equal("Microsoft.Resources/subscriptions/resourceGroups/write", events.Single(e => e["subject"]!.GetValue<string>() == Group)["data"]!["operationName"]!.GetValue<string>());
        Assert.All(server.State.PublishedEvents, e => Assert.True(e.Delivered, e.Error));
    }

    [Fact]
    public async Task Reads_Failed_Requests_And_Deletes_Of_Nothing_Publish_No_Event()
    {
        var (server, queue) = await StartAsync();
        await using var _ = server;
        using var client = Client(server, "opaque-token");

        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync(Account, AccountBody)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(Group, """{"location":"westeurope"}""", "2024-03-01")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(Account, ArmHttp.StorageApi)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Group, "2024-03-01")).StatusCode);

        var only = Decode(Assert.Single(await ReceiveAsync(server, queue, 1)));
        Assert.Equal(Group, only["subject"]!.GetValue<string>());

        // A token that is not a JWT stands for a service principal with a derived id.
        var claims = only["data"]!["claims"]!.AsObject();
        Assert.Equal(ArmCallerClaims.OpaqueTokenPrincipalId("opaque-token"), claims["appid"]!.GetValue<string>());
        Assert.Equal("ServicePrincipal", only["data"]!["authorization"]!["evidence"]!["principalType"]!.GetValue<string>());
        Assert.Empty(await queue.PeekMessagesAsync(32).ContinueWith(t => t.Result.Value));
    }

    [Fact]
    public async Task Out_Of_Band_Changes_Are_Attributed_To_A_Portal_User_In_Plain_Cloud_Events_When_Configured()
    {
        var (server, queue) = await StartAsync(new ArmEventDestination { ConnectionString = "-", QueueName = "-", Base64 = false, Schema = ArmEventSchema.CloudEvents });
        await using var _ = server;
        using var client = Client(server, "opaque-token");
        await client.PutAsync(Group, """{"location":"westeurope"}""", "2024-03-01");
        await client.PutAsync(Account, AccountBody);
        await ReceiveAsync(server, queue, 2);

        Assert.True(server.State.SetOutOfBand(Account, new JsonObject { ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_0" } }, by: "alice@contoso.com"));
        Assert.True(server.State.DeleteOutOfBand(Account));
        Assert.False(server.State.DeleteOutOfBand(Account));

        var events = (await ReceiveAsync(server, queue, 2)).Select(t => JsonNode.Parse(t)!.AsObject()).ToList();
        var write = events.Single(e => e["type"]!.GetValue<string>() == "Microsoft.Resources.ResourceWriteSuccess");
        Assert.Equal("1.0", write["specversion"]!.GetValue<string>());
        Assert.Equal($"/subscriptions/{Sub}", write["source"]!.GetValue<string>());
        Assert.Equal(Account, write["subject"]!.GetValue<string>());
        Assert.Equal("alice@contoso.com", write["data"]!["claims"]![ArmCallerClaims.UpnClaim]!.GetValue<string>());
        Assert.Equal(ArmCallerClaims.PortalAppId, write["data"]!["claims"]!["appid"]!.GetValue<string>());
        Assert.Equal("PATCH", write["data"]!["httpRequest"]!["method"]!.GetValue<string>());
        var delete = events.Single(e => e["type"]!.GetValue<string>() == "Microsoft.Resources.ResourceDeleteSuccess");
        Assert.Equal("someone-else@example.com", delete["data"]!["claims"]![ArmCallerClaims.UpnClaim]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_Follow_The_Destination_Of_Their_Subscription_And_Are_Logged_Without_One()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions());
        using var client = Client(server, "opaque-token");
        var queueName = AzuriteFixture.UniqueName("routed");
        server.State.SetEventDestination(Sub, new ArmEventDestination { ConnectionString = azurite.ConnectionString, QueueName = queueName });
        var other = "/subscriptions/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/resourceGroups/rg-other";

        await client.PutAsync(Group, """{"location":"westeurope"}""", "2024-03-01");
        await client.PutAsync(other, """{"location":"westeurope"}""", "2024-03-01");

        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2025_11_05));
        Assert.Equal(Group, Decode(Assert.Single(await ReceiveAsync(server, queue, 1)))["subject"]!.GetValue<string>());
        var logged = server.State.PublishedEvents.Single(e => e.ResourceId == other);
        Assert.Null(logged.QueueName);
        Assert.False(logged.Delivered);

        server.State.Reset();
        Assert.Empty(server.State.PublishedEvents);
    }

    [Fact]
    public void Jwt_Claims_Keep_Unknown_Names_And_Map_The_Short_Ones()
    {
        var claims = ArmCallerClaims.FromToken(Jwt(new JsonObject { ["oid"] = "o", ["tid"] = "t", ["scp"] = "user_impersonation", ["xms_tcdt"] = 1600000000, ["custom"] = "c" }));

        Assert.Equal("o", claims[ArmCallerClaims.ObjectIdClaim]);
        Assert.Equal("t", claims[ArmCallerClaims.TenantIdClaim]);
        Assert.Equal("user_impersonation", claims["http://schemas.microsoft.com/identity/claims/scope"]);
        Assert.Equal("1600000000", claims["xms_tcdt"]);
        Assert.Equal("c", claims["custom"]);
        Assert.Equal(ArmCallerClaims.OpaqueTokenPrincipalId("a.b.c"), ArmCallerClaims.FromToken("a.b.c")["appid"]);
    }
}
