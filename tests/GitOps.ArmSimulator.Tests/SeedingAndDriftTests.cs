using System.Net;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

[Trait("Category", "Integration")]
public sealed class SeedingAndDriftTests : IDisposable
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "armsim-seed-" + Guid.NewGuid().ToString("N"));

    public SeedingAndDriftTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string AccountId = $"/subscriptions/{Sub}/resourceGroups/rg-seed/providers/Microsoft.Storage/storageAccounts/stseed";

    private void WriteSeed() => File.WriteAllText(Path.Combine(_folder, "st.json"), $$"""
        {
          "id": "{{AccountId}}",
          "name": "stseed",
          "type": "Microsoft.Storage/storageAccounts",
          "location": "westeurope",
          "sku": { "name": "Standard_LRS", "tier": "Standard" },
          "tags": { "owner": "platform" },
          "properties": { "minimumTlsVersion": "TLS1_2", "provisioningState": "Succeeded" }
        }
        """);

    [Fact]
    public async Task Seeds_From_A_Folder_Of_Get_Bodies_Creating_The_Group_And_Reset_Restores_Them()
    {
        WriteSeed();
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { SeedDirectory = _folder });
        using var client = ArmHttp.CreateClient(server);

        using var get = await client.GetAsync(AccountId, ArmHttp.StorageApi);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await get.JsonAsync();
        Assert.Equal("platform", body["tags"]!["owner"]!.GetValue<string>());
        Assert.Equal("TLS1_2", body["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/subscriptions/{Sub}/resourceGroups/rg-seed", "2022-09-01")).StatusCode);

        Assert.True(server.State.DeleteOutOfBand(AccountId));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(AccountId, ArmHttp.StorageApi)).StatusCode);
        server.State.Reset();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(AccountId, ArmHttp.StorageApi)).StatusCode);
        Assert.Single(server.State.Requests); // reset cleared the log
    }

    [Fact]
    public async Task Invalid_Seed_Files_Fail_Start_With_The_File_Named()
    {
        var bad = Path.Combine(_folder, "broken.json");
        File.WriteAllText(bad, "{ \"id\": ");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { SeedDirectory = _folder }));
        Assert.Contains(bad, error.Message, StringComparison.Ordinal);

        File.WriteAllText(bad, """{ "name": "no-id" }""");
        error = await Assert.ThrowsAsync<InvalidDataException>(() => ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { SeedDirectory = _folder }));
        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
        Assert.Contains(bad, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_Of_Band_Change_Creates_Drift_Visible_On_Get()
    {
        WriteSeed();
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { SeedDirectory = _folder });
        using var client = ArmHttp.CreateClient(server);

        var changed = server.State.SetOutOfBand(AccountId, new JsonObject
        {
            ["tags"] = new JsonObject { ["owner"] = null, ["costCenter"] = "42" },
            ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_0" },
        });
        Assert.True(changed);
        Assert.False(server.State.SetOutOfBand(AccountId + "-missing", new JsonObject()));

        var body = await (await client.GetAsync(AccountId, ArmHttp.StorageApi)).JsonAsync();
        Assert.Equal("TLS1_0", body["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        Assert.Null(body["tags"]!["owner"]);
        Assert.Equal("42", body["tags"]!["costCenter"]!.GetValue<string>());
        Assert.Equal("Standard_LRS", body["sku"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Control_Api_Over_Http_Seeds_Drifts_Deletes_Faults_And_Resets()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions());
        using var client = ArmHttp.CreateClient(server);
        using var control = new HttpClient(server.CreateHttpMessageHandler()) { BaseAddress = server.Endpoint };

        var seed = new JsonObject { ["id"] = AccountId, ["location"] = "westeurope", ["properties"] = new JsonObject { ["minimumTlsVersion"] = "TLS1_2" } };
        using var seeded = await control.PutAsync("/_sim/resources", new StringContent(seed.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        Assert.True(Guid.TryParse(seeded.Header("x-ms-request-id"), out _));

        var query = "/_sim/resources?id=" + Uri.EscapeDataString(AccountId);
        using var patched = await control.PatchAsync(query, new StringContent("""{"properties":{"minimumTlsVersion":"TLS1_0"}}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("TLS1_0", (await patched.JsonAsync())["properties"]!["minimumTlsVersion"]!.GetValue<string>());
        var live = await (await client.GetAsync(AccountId, ArmHttp.StorageApi)).JsonAsync();
        Assert.Equal("TLS1_0", live["properties"]!["minimumTlsVersion"]!.GetValue<string>());

        using var requests = await control.GetAsync("/_sim/requests");
        var log = JsonNode.Parse(await requests.Content.ReadAsStringAsync())!.AsArray();
        var entry = Assert.Single(log)!;
        Assert.Equal("GET", entry["method"]!.GetValue<string>());
        Assert.Equal(ArmHttp.StorageApi, entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("Read", entry["kind"]!.GetValue<string>());

        using var fault = await control.PostAsync("/_sim/faults", new StringContent("""{"method":"GET","statusCode":500,"count":1,"errorCode":"Boom"}"""));
        Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
        using var faulted = await client.GetAsync(AccountId, ArmHttp.StorageApi);
        Assert.Equal("Boom", await faulted.ErrorCodeAsync());

        using var style = await control.PostAsync("/_sim/async-styles", new StringContent("""{"resourceType":"Microsoft.Demo/widgets","style":"Location"}"""));
        Assert.Equal(HttpStatusCode.NoContent, style.StatusCode);
        using var accepted = await client.PutAsync($"/subscriptions/{Sub}/resourceGroups/rg-seed/providers/Microsoft.Demo/widgets/w1", "{}", "2024-01-01");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        using var badStyle = await control.PostAsync("/_sim/async-styles", new StringContent("""{"resourceType":"X/y","style":"Sometimes"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badStyle.StatusCode);
        Assert.Contains("Sometimes", await badStyle.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var deleted = await control.DeleteAsync(query);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await control.DeleteAsync(query)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(AccountId, ArmHttp.StorageApi)).StatusCode);

        using var reset = await control.PostAsync("/_sim/reset", null);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(server.State.Requests);
        Assert.Empty(server.State.ResourceIds);
    }
}
