using System.Net;
using System.Text.Json.Nodes;
using GitOps.Testing;

namespace GitOps.ArmSimulator.Tests;

[Trait("Category", "Integration")]
public sealed class ResourceLifecycleTests : IClassFixture<ArmSimulatorFixture>
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;
    private readonly ArmSimulatorFixture _sim;

    public ResourceLifecycleTests(ArmSimulatorFixture sim) => _sim = sim;

    [Fact]
    public async Task Resource_Group_Put_Creates_Then_Updates_And_Matches_Case_Insensitively()
    {
        var name = ArmHttp.NewName("Rg-Mixed-");
        using var created = await _sim.Client.PutAsync($"/subscriptions/{Sub}/resourcegroups/{name}", """{"location":"West Europe","tags":{"a":"1"}}""", "2022-09-01");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var updated = await _sim.Client.PutAsync($"/subscriptions/{Sub}/resourceGroups/{name.ToLowerInvariant()}", """{"location":"westeurope","tags":{"a":"2"}}""", "2022-09-01");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        using var get = await _sim.Client.GetAsync($"/SUBSCRIPTIONS/{Sub}/RESOURCEGROUPS/{name.ToUpperInvariant()}", "2022-09-01");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await get.JsonAsync();
        Assert.Equal($"/subscriptions/{Sub}/resourceGroups/{name}", body["id"]!.GetValue<string>()); // first casing kept
        Assert.Equal(name, body["name"]!.GetValue<string>());
        Assert.Equal("West Europe", body["location"]!.GetValue<string>()); // resource groups keep the user's form
        Assert.Equal("2", body["tags"]!["a"]!.GetValue<string>());
        Assert.Equal("Succeeded", body["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resource_Group_In_Another_Location_Conflicts_And_Missing_Location_Is_Rejected()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        using var moved = await _sim.Client.PutAsync(group, """{"location":"eastus"}""", "2022-09-01");
        Assert.Equal(HttpStatusCode.Conflict, moved.StatusCode);
        Assert.Equal("InvalidResourceGroupLocation", await moved.ErrorCodeAsync());
        using var noLocation = await _sim.Client.PutAsync(group + "x", "{}", "2022-09-01");
        Assert.Equal(HttpStatusCode.BadRequest, noLocation.StatusCode);
    }

    [Fact]
    public async Task Resource_Put_Returns_201_Then_200_And_Get_Returns_It()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var id = $"{group}/providers/Microsoft.Storage/storageAccounts/{ArmHttp.NewName("st")}";
        using var created = await _sim.Client.PutAsync(id, """{"location":"westeurope","sku":{"name":"Standard_LRS"},"kind":"StorageV2"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var updated = await _sim.Client.PutAsync(id, """{"location":"westeurope","sku":{"name":"Standard_LRS"},"kind":"StorageV2","tags":{"env":"prod"}}""");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        using var get = await _sim.Client.GetAsync(id, ArmHttp.StorageApi);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await get.JsonAsync();
        Assert.Equal(id, body["id"]!.GetValue<string>());
        Assert.Equal("prod", body["tags"]!["env"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_Of_Missing_Resource_Is_ResourceNotFound_And_In_Missing_Group_Is_ResourceGroupNotFound()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        using var missing = await _sim.Client.GetAsync($"{group}/providers/Microsoft.Storage/storageAccounts/nope", ArmHttp.StorageApi);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var error = (await missing.JsonAsync())["error"]!;
        Assert.Equal("ResourceNotFound", error["code"]!.GetValue<string>());
        Assert.Contains("nope", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var noGroup = await _sim.Client.GetAsync($"/subscriptions/{Sub}/resourceGroups/rg-absent/providers/Microsoft.Storage/storageAccounts/x", ArmHttp.StorageApi);
        Assert.Equal(HttpStatusCode.NotFound, noGroup.StatusCode);
        Assert.Equal("ResourceGroupNotFound", await noGroup.ErrorCodeAsync());
    }

    [Fact]
    public async Task Put_Into_Missing_Group_Is_ResourceGroupNotFound_And_Child_Of_Missing_Parent_Is_ParentResourceNotFound()
    {
        using var noGroup = await _sim.Client.PutAsync($"/subscriptions/{Sub}/resourceGroups/rg-absent/providers/Microsoft.Storage/storageAccounts/x", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.NotFound, noGroup.StatusCode);
        Assert.Equal("ResourceGroupNotFound", await noGroup.ErrorCodeAsync());

        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        using var orphan = await _sim.Client.PutAsync($"{group}/providers/Microsoft.Network/virtualNetworks/vnet-absent/subnets/default",
            """{"properties":{"addressPrefix":"10.0.0.0/24"}}""", "2024-05-01");
        Assert.Equal(HttpStatusCode.NotFound, orphan.StatusCode);
        Assert.Equal("ParentResourceNotFound", await orphan.ErrorCodeAsync());
        Assert.DoesNotContain(_sim.State.ResourceIds, id => id.Contains("vnet-absent", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Nested_Children_At_Any_Depth_And_Collection_Listing_Work()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var account = $"{group}/providers/Microsoft.Storage/storageAccounts/{ArmHttp.NewName("st")}";
        Assert.Equal(HttpStatusCode.Created, (await _sim.Client.PutAsync(account, """{"location":"westeurope","sku":{"name":"Standard_LRS"}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _sim.Client.PutAsync($"{account}/blobServices/default", "{}")).StatusCode);
        var container = $"{account}/blobServices/default/containers/logs";
        using var put = await _sim.Client.PutAsync(container, """{"properties":{"publicAccess":"None"}}""");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var body = await put.JsonAsync();
        Assert.Equal("logs", body["name"]!.GetValue<string>());
        Assert.Equal("Microsoft.Storage/storageAccounts/blobServices/containers", body["type"]!.GetValue<string>());

        using var list = await _sim.Client.GetAsync($"{account}/blobServices/default/containers", ArmHttp.StorageApi);
        var ids = (await list.JsonAsync())["value"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([container], ids);

        using var groupResources = await _sim.Client.GetAsync($"{group}/resources", "2022-09-01");
        var top = (await groupResources.JsonAsync())["value"]!.AsArray().Select(v => v!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([account], top); // top-level resources only
    }

    [Fact]
    public async Task Extension_Resource_On_A_Storage_Account_Lives_And_Dies_With_Its_Scope()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var account = $"{group}/providers/Microsoft.Storage/storageAccounts/{ArmHttp.NewName("st")}";
        var assignment = $"{account}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}";
        var roleBody = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                ["principalId"] = Guid.NewGuid().ToString(),
            },
        }.ToJsonString();

        using var beforeScope = await _sim.Client.PutAsync(assignment, roleBody, "2022-04-01");
        Assert.Equal(HttpStatusCode.NotFound, beforeScope.StatusCode);
        Assert.Equal("ParentResourceNotFound", await beforeScope.ErrorCodeAsync());

        await _sim.Client.PutAsync(account, """{"location":"westeurope","sku":{"name":"Standard_LRS"}}""");
        using var created = await _sim.Client.PutAsync(assignment, roleBody, "2022-04-01");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Microsoft.Authorization/roleAssignments", (await created.JsonAsync())["type"]!.GetValue<string>());

        using var listed = await _sim.Client.GetAsync($"{account}/providers/Microsoft.Authorization/roleAssignments", "2022-04-01");
        Assert.Single((await listed.JsonAsync())["value"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await _sim.Client.DeleteAsync(account, ArmHttp.StorageApi)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _sim.Client.GetAsync(assignment, "2022-04-01")).StatusCode);
    }

    [Fact]
    public async Task Subscription_Level_Resource_Needs_No_Group()
    {
        var id = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}";
        using var created = await _sim.Client.PutAsync(id, """{"properties":{"principalId":"p"}}""", "2022-04-01");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _sim.Client.GetAsync(id, "2022-04-01")).StatusCode);
    }

    [Fact]
    public async Task Delete_Answers_200_Then_204_When_Absent()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var id = $"{group}/providers/Microsoft.Storage/storageAccounts/{ArmHttp.NewName("st")}";
        await _sim.Client.PutAsync(id, """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.OK, (await _sim.Client.DeleteAsync(id, ArmHttp.StorageApi)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _sim.Client.DeleteAsync(id, ArmHttp.StorageApi)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _sim.Client.GetAsync(id, ArmHttp.StorageApi)).StatusCode);
    }

    [Fact]
    public async Task Deleting_A_Resource_Group_Is_Async_And_Removes_Everything_In_It()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var vnet = $"{group}/providers/Microsoft.Network/virtualNetworks/vnet1";
        await _sim.Client.PutAsync(vnet, """{"location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}""", "2024-05-01");
        await _sim.Client.PutAsync(vnet + "/subnets/a", """{"properties":{"addressPrefix":"10.0.0.0/24"}}""", "2024-05-01");

        using var accepted = await _sim.Client.DeleteAsync(group, "2022-09-01");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = new Uri(accepted.Header("Location"));
        Assert.True(location.IsAbsoluteUri);
        Assert.Equal("0", accepted.Header("Retry-After"));

        using var deleting = await _sim.Client.GetAsync(group, "2022-09-01");
        Assert.Equal("Deleting", (await deleting.JsonAsync())["properties"]!["provisioningState"]!.GetValue<string>());
        using var putWhileDeleting = await _sim.Client.PutAsync(vnet, """{"location":"westeurope"}""", "2024-05-01");
        Assert.Equal("ResourceGroupBeingDeleted", await putWhileDeleting.ErrorCodeAsync());

        var final = await PollUntilDoneAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, final);
        Assert.Equal(HttpStatusCode.NotFound, (await _sim.Client.GetAsync(group, "2022-09-01")).StatusCode);
        Assert.DoesNotContain(_sim.State.ResourceIds, id => id.StartsWith(group, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Patch_Replaces_Tags_And_Merges_Properties()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var id = $"{group}/providers/Microsoft.KeyVault/vaults/{ArmHttp.NewName("kv")}";
        await _sim.Client.PutAsync(id, """{"location":"westeurope","tags":{"a":"1","b":"2"},"properties":{"sku":{"name":"standard"},"enabledForDeployment":false}}""", "2023-07-01");
        using var patched = await _sim.Client.SendAsync(HttpMethod.Patch, id, """{"tags":{"c":"3"},"properties":{"enabledForDeployment":true}}""", "2023-07-01");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.JsonAsync();
        Assert.Equal(["c"], body["tags"]!.AsObject().Select(p => p.Key));
        Assert.True(body["properties"]!["enabledForDeployment"]!.GetValue<bool>());
        Assert.Equal("standard", body["properties"]!["sku"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_Requests_Keep_State_Consistent()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        var ids = Enumerable.Range(0, 40).Select(i => $"{group}/providers/Microsoft.Storage/storageAccounts/st{i:D2}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
        {
            using var put = await _sim.Client.PutAsync(id, """{"location":"westeurope","sku":{"name":"Standard_LRS"}}""");
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            using var get = await _sim.Client.GetAsync(id, ArmHttp.StorageApi);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        });

        using var list = await _sim.Client.GetAsync($"{group}/resources", "2022-09-01");
        Assert.Equal(40, (await list.JsonAsync())["value"]!.AsArray().Count);
    }

    [Fact]
    public async Task Unknown_Paths_And_Methods_Get_Arm_Errors()
    {
        using var unknown = await _sim.Client.GetAsync("/nothing/here", "2022-09-01");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("InvalidRequestUri", await unknown.ErrorCodeAsync());
        using var post = await _sim.Client.SendAsync(HttpMethod.Post, $"/subscriptions/{Sub}/providers/Microsoft.Storage", "{}", "2022-09-01");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        using var badJson = await _sim.Client.PutAsync($"/subscriptions/{Sub}/resourceGroups/x", "{not json", "2022-09-01");
        Assert.Equal("InvalidRequestContent", await badJson.ErrorCodeAsync());
    }

    [Fact]
    public async Task Head_And_Listing_Report_Missing_Groups_And_Subscriptions_Always_Exist()
    {
        var group = await _sim.Client.CreateGroupAsync(Sub, ArmHttp.NewName("rg-"));
        Assert.Equal(HttpStatusCode.NoContent, (await _sim.Client.SendAsync(HttpMethod.Head, group, apiVersion: "2022-09-01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _sim.Client.SendAsync(HttpMethod.Head, group + "-absent", apiVersion: "2022-09-01")).StatusCode);

        using var list = await _sim.Client.GetAsync($"{group}-absent/providers/Microsoft.Storage/storageAccounts", ArmHttp.StorageApi);
        Assert.Equal("ResourceGroupNotFound", await list.ErrorCodeAsync());

        using var subscription = await _sim.Client.GetAsync($"/subscriptions/{Sub}", "2022-12-01");
        Assert.Equal(Sub, (await subscription.JsonAsync())["subscriptionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tenant_Level_Resources_Use_The_Tenant_Bucket()
    {
        var id = $"/providers/Microsoft.Management/managementGroups/{ArmHttp.NewName("mg-")}";
        using var put = await _sim.Client.PutAsync(id, """{"properties":{"displayName":"Platform"}}""", "2023-04-01");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.True(put.HasHeader("x-ms-ratelimit-remaining-tenant-writes"));
        Assert.False(put.HasHeader("x-ms-ratelimit-remaining-subscription-writes"));
        using var get = await _sim.Client.GetAsync(id, "2023-04-01");
        Assert.Equal("Platform", (await get.JsonAsync())["properties"]!["displayName"]!.GetValue<string>());
        Assert.Null(_sim.State.Requests.Last().SubscriptionId);
    }

    private async Task<HttpStatusCode> PollUntilDoneAsync(Uri location)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var poll = await _sim.Client.GetAsync(location);
            if (poll.StatusCode != HttpStatusCode.Accepted)
            {
                return poll.StatusCode;
            }
        }

        throw new Xunit.Sdk.XunitException($"{location} still answered 202 after 20 polls.");
    }
}
