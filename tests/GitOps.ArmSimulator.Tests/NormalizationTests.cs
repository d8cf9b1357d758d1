using System.Net;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

[Trait("Category", "Integration")]
public sealed class NormalizationTests : IClassFixture<ArmSimulatorFixture>
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;
    private readonly ArmSimulatorFixture _sim;

    public NormalizationTests(ArmSimulatorFixture sim) => _sim = sim;

    private async Task<JsonObject> PutAndGetAsync(string id, string body, string api)
    {
        using var put = await _sim.Client.PutAsync(id, body, api);
        Assert.True(put.IsSuccessStatusCode, $"PUT {id} answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        using var get = await _sim.Client.GetAsync(id, api);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        return await get.JsonAsync();
    }

    [Fact]
    public async Task Storage_Account_Gets_Read_Only_Fields_Defaults_Derived_Tier_And_Lowercase_Location()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var name = ArmHttp.NewName("st");
        var body = await PutAndGetAsync($"{group}/providers/Microsoft.Storage/storageAccounts/{name}",
            """{"location":"West Europe","sku":{"name":"Premium_LRS"},"kind":"StorageV2","properties":{"minimumTlsVersion":"TLS1_2"}}""", "2023-05-01");

        Assert.Equal(name, body["name"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage/storageAccounts", body["type"]!.GetValue<string>());
        Assert.Equal("westeurope", body["location"]!.GetValue<string>());
        Assert.Equal("Premium", body["sku"]!["tier"]!.GetValue<string>());
        var properties = body["properties"]!;
        Assert.Equal("TLS1_2", properties["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(properties["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.Equal("Hot", properties["accessTier"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage", properties["encryption"]!["keySource"]!.GetValue<string>());
        Assert.Equal($"https://{name}.blob.core.windows.net/", properties["primaryEndpoints"]!["blob"]!.GetValue<string>());
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        Assert.NotNull(body["systemData"]!["createdAt"]);
        Assert.Null(body["etag"]); // storage accounts carry no etag
    }

    [Fact]
    public async Task Web_Types_Echo_The_Display_Name_And_Plans_Derive_Their_Tier()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var body = await PutAndGetAsync($"{group}/providers/Microsoft.Web/serverfarms/plan1",
            """{"location":"westeurope","sku":{"name":"P1v3"}}""", "2023-12-01");
        Assert.Equal("West Europe", body["location"]!.GetValue<string>());
        Assert.Equal("PremiumV3", body["sku"]!["tier"]!.GetValue<string>());
        Assert.False(body["properties"]!["reserved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Ids_And_Types_Come_Back_In_The_Providers_Casing()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var redis = await PutAndGetAsync($"{group}/providers/Microsoft.Cache/redis/cache1",
            """{"location":"westeurope","properties":{"redisVersion":"4","sku":{"name":"Basic","family":"C","capacity":0}}}""", "2024-03-01");
        Assert.Equal("Microsoft.Cache/Redis", redis["type"]!.GetValue<string>());
        Assert.Equal($"{group}/providers/Microsoft.Cache/Redis/cache1", redis["id"]!.GetValue<string>());
        Assert.Equal("4.0.14", redis["properties"]!["redisVersion"]!.GetValue<string>());

        var workspace = await PutAndGetAsync($"{group}/providers/Microsoft.OperationalInsights/workspaces/logs1",
            """{"location":"westeurope"}""", "2023-09-01");
        var expected = $"/subscriptions/{Sub}/resourcegroups/{group.Split('/')[^1]}/providers/microsoft.operationalinsights/workspaces/logs1";
        Assert.Equal(expected, workspace["id"]!.GetValue<string>());
        Assert.NotEqual(group + "/providers/Microsoft.OperationalInsights/workspaces/logs1", workspace["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Nsg_Gets_Default_Rules_And_Server_Fields_Inside_Declared_Rules()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var id = $"{group}/providers/Microsoft.Network/networkSecurityGroups/nsg1";
        using var put = await _sim.Client.PutAsync(id,
            """{"location":"westeurope","properties":{"securityRules":[{"name":"allow-https","properties":{"priority":100,"access":"Allow","direction":"Inbound","protocol":"Tcp","sourcePortRange":"*","destinationPortRange":"443","sourceAddressPrefix":"*","destinationAddressPrefix":"*"}}]}}""",
            "2024-05-01");
        var etagHeader = put.Header("ETag");
        var body = await put.JsonAsync();
        Assert.Equal(etagHeader, body["etag"]!.GetValue<string>());

        var rule = body["properties"]!["securityRules"]![0]!;
        Assert.Equal($"{id}/securityRules/allow-https", rule["id"]!.GetValue<string>());
        Assert.Equal("Succeeded", rule["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.NotNull(rule["etag"]);
        Assert.Equal("443", rule["properties"]!["destinationPortRange"]!.GetValue<string>());
        var defaults = body["properties"]!["defaultSecurityRules"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("DenyAllInBound", defaults);
        Assert.Equal(6, defaults.Count);
    }

    [Fact]
    public async Task Vnet_Adds_Defaults_And_Shows_Child_Subnets_Inline()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var vnet = $"{group}/providers/Microsoft.Network/virtualNetworks/vnet1";
        var body = await PutAndGetAsync(vnet, """{"location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}""", "2024-05-01");
        Assert.Empty(body["properties"]!["subnets"]!.AsArray());
        Assert.False(body["properties"]!["enableDdosProtection"]!.GetValue<bool>());

        var subnet = await PutAndGetAsync(vnet + "/subnets/app", """{"properties":{"addressPrefix":"10.0.1.0/24"}}""", "2024-05-01");
        Assert.Equal("Disabled", subnet["properties"]!["privateEndpointNetworkPolicies"]!.GetValue<string>());

        using var again = await _sim.Client.GetAsync(vnet, "2024-05-01");
        var subnets = (await again.JsonAsync())["properties"]!["subnets"]!.AsArray();
        Assert.Equal("app", Assert.Single(subnets)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Write_Only_Properties_Are_Never_Returned()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var server = await PutAndGetAsync($"{group}/providers/Microsoft.Sql/servers/sql1",
            """{"location":"westeurope","properties":{"administratorLogin":"admin1","administratorLoginPassword":"S3cret!"}}""", "2023-08-01");
        Assert.Equal("admin1", server["properties"]!["administratorLogin"]!.GetValue<string>());
        Assert.Null(server["properties"]!["administratorLoginPassword"]);

        var vault = $"{group}/providers/Microsoft.KeyVault/vaults/kv1";
        await PutAndGetAsync(vault, """{"location":"westeurope","properties":{"tenantId":"t","sku":{"family":"A","name":"standard"}}}""", "2023-07-01");
        using var put = await _sim.Client.PutAsync(vault + "/secrets/db", """{"properties":{"value":"p@ss","contentType":"text/plain"}}""", "2023-07-01");
        var secretText = await put.Content.ReadAsStringAsync();
        Assert.DoesNotContain("p@ss", secretText, StringComparison.Ordinal);
        Assert.Contains("text/plain", secretText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_Only_Fields_Sent_In_A_Put_Are_Replaced_Not_Stored()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var id = $"{group}/providers/Microsoft.Demo/things/t1";
        var body = await PutAndGetAsync(id, """{"id":"/bogus","name":"bogus","type":"X/y","location":"westeurope","properties":{"provisioningState":"Bogus"}}""", "2024-01-01");
        Assert.Equal(id, body["id"]!.GetValue<string>());
        Assert.Equal("t1", body["name"]!.GetValue<string>());
        Assert.Equal("Microsoft.Demo/things", body["type"]!.GetValue<string>());
        Assert.Equal("Succeeded", body["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Etag_Types_Honour_If_Match_And_If_None_Match()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var id = $"{group}/providers/Microsoft.Network/privateDnsZones/example.internal";
        using var created = await _sim.Client.PutAsync(id, """{"location":"global"}""", "2020-06-01");
        var etag = created.Header("ETag");
        Assert.Equal("global", (await created.JsonAsync())["location"]!.GetValue<string>());

        using var createOnly = new HttpRequestMessage(HttpMethod.Put, id + "?api-version=2020-06-01") { Content = new StringContent("""{"location":"global"}""") };
        createOnly.Headers.TryAddWithoutValidation("If-None-Match", "*");
        using var conflict = await _sim.Client.SendAsync(createOnly);
        Assert.Equal(HttpStatusCode.PreconditionFailed, conflict.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Put, id + "?api-version=2020-06-01") { Content = new StringContent("""{"location":"global"}""") };
        stale.Headers.TryAddWithoutValidation("If-Match", "W/\"stale\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _sim.Client.SendAsync(stale)).StatusCode);

        using var current = new HttpRequestMessage(HttpMethod.Put, id + "?api-version=2020-06-01") { Content = new StringContent("""{"location":"global","tags":{"a":"b"}}""") };
        current.Headers.TryAddWithoutValidation("If-Match", etag);
        using var updated = await _sim.Client.SendAsync(current);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.NotEqual(etag, updated.Header("ETag"));
    }

    [Fact]
    public async Task Location_Style_Table_Can_Be_Overridden_By_Options()
    {
        var options = new ArmSimulatorOptions();
        options.LocationStyles["Microsoft.Storage/*"] = ArmLocationStyle.DisplayName;
        await using var server = await ArmSimulatorServer.StartAsync(options);
        using var client = ArmHttp.CreateClient(server);
        var group = await client.CreateGroupAsync(Sub, "rg1", "westeurope");
        using var put = await client.PutAsync($"{group}/providers/Microsoft.Storage/storageAccounts/st1", """{"location":"northeurope"}""");
        Assert.Equal("North Europe", (await put.JsonAsync())["location"]!.GetValue<string>());
    }
}
