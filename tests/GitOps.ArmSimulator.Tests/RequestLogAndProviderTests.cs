using System.Net;
using GitOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.ArmSimulator.Tests;

[Trait("Category", "Integration")]
public sealed class RequestLogAndProviderTests
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;

    [Fact]
    public async Task Request_Log_Records_Method_Path_Api_Version_Status_Subscription_And_Kind()
    {
        var clock = new FakeTimeProvider();
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { TimeProvider = clock });
        using var client = ArmHttp.CreateClient(server);
        var group = $"/subscriptions/{Sub}/resourceGroups/rg-log";
        await client.PutAsync(group, """{"location":"westeurope"}""", "2022-09-01");
        clock.Advance(TimeSpan.FromSeconds(5));
        await client.GetAsync(group + "/providers/Microsoft.Storage/storageAccounts/st1", "2023-05-01");
        await client.DeleteAsync(group + "/providers/Microsoft.Storage/storageAccounts/st1", "2023-01-01");
        await client.SendAsync(HttpMethod.Get, group, apiVersion: null);

        var log = server.State.Requests;
        Assert.Equal(4, log.Count);
        Assert.Equal(new ArmRequestRecord(clock.GetUtcNow().AddSeconds(-5), "PUT", group, "2022-09-01", 201, Sub, ArmOperationKind.Write, null), log[0]);
        Assert.Equal(("GET", "2023-05-01", 404, ArmOperationKind.Read, "ResourceNotFound"), (log[1].Method, log[1].ApiVersion, log[1].StatusCode, log[1].Kind, log[1].ErrorCode));
        Assert.Equal(clock.GetUtcNow(), log[1].Time);
        Assert.Equal(("DELETE", "2023-01-01", 204, ArmOperationKind.Delete), (log[2].Method, log[2].ApiVersion, log[2].StatusCode, log[2].Kind));
        Assert.Equal((null, 400, "MissingApiVersionParameter"), (log[3].ApiVersion, log[3].StatusCode, log[3].ErrorCode));

        server.State.ClearRequests();
        Assert.Empty(server.State.Requests);
    }

    [Fact]
    public async Task Request_Log_Is_Bounded()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { MaxRequestLogEntries = 3 });
        using var client = ArmHttp.CreateClient(server);
        for (var i = 0; i < 5; i++)
        {
            await client.GetAsync($"/subscriptions/{Sub}/resourcegroups/rg{i}", "2022-09-01");
        }

        Assert.Equal(["/subscriptions/" + Sub + "/resourcegroups/rg2", "/subscriptions/" + Sub + "/resourcegroups/rg3", "/subscriptions/" + Sub + "/resourcegroups/rg4"],
            server.State.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Provider_Listing_Is_Newest_First_Includes_Previews_And_Versions_Seen()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions());
        using var client = ArmHttp.CreateClient(server);

        using var vault = await client.GetAsync($"/subscriptions/{Sub}/providers/Microsoft.KeyVault", "2022-09-01");
        Assert.Equal(HttpStatusCode.OK, vault.StatusCode);
        var body = await vault.JsonAsync();
        Assert.Equal("Microsoft.KeyVault", body["namespace"]!.GetValue<string>());
        var vaults = body["resourceTypes"]!.AsArray().Single(t => t!["resourceType"]!.GetValue<string>() == "vaults")!;
        var versions = vaults["apiVersions"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Equal("2024-12-01-preview", versions[0]);
        Assert.Equal(versions.OrderDescending(StringComparer.Ordinal), versions);
        Assert.NotEmpty(vaults["locations"]!.AsArray());

        // A version a client used shows up, in order.
        await client.GetAsync($"/subscriptions/{Sub}/resourceGroups/rg/providers/Microsoft.Contoso/gadgets/g1/parts/p1", "2021-03-01");
        using var contoso = await client.GetAsync($"/subscriptions/{Sub}/providers/microsoft.contoso", "2022-09-01");
        var parts = (await contoso.JsonAsync())["resourceTypes"]!.AsArray().Single()!;
        Assert.Equal("gadgets/parts", parts["resourceType"]!.GetValue<string>());
        Assert.Equal(["2021-03-01"], parts["apiVersions"]!.AsArray().Select(v => v!.GetValue<string>()));

        using var unknown = await client.GetAsync($"/subscriptions/{Sub}/providers/Microsoft.Nope", "2022-09-01");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("InvalidResourceNamespace", await unknown.ErrorCodeAsync());

        using var all = await client.GetAsync($"/subscriptions/{Sub}/providers", "2022-09-01");
        var namespaces = (await all.JsonAsync())["value"]!.AsArray().Select(p => p!["namespace"]!.GetValue<string>()).ToList();
        Assert.Contains("Microsoft.Storage", namespaces);
        Assert.Contains("Microsoft.Contoso", namespaces);
    }
}
