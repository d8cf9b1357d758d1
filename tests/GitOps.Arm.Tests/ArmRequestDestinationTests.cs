using GitOps.Arm.Tests.Infrastructure;
using GitOps.Core.Ports;
using static GitOps.Arm.Tests.Infrastructure.TestClients;

namespace GitOps.Arm.Tests;

/// <summary>
/// Issue 10, item 2: the ARM token goes only to the configured ARM endpoint. Ids and api-versions come from manifests,
/// and polling URLs from ARM's answers; none of them can move a request to another host, port, path or query.
/// </summary>
[Trait("Category", "Integration")]
public class ArmRequestDestinationTests
{
    [Theory]
    [InlineData("https://evil.example/subscriptions/" + Subscription)]
    [InlineData("//evil.example/subscriptions/" + Subscription)]
    [InlineData("\\\\evil.example\\subscriptions")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-app/../../../evil")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/./rg-app")]
    [InlineData("/subscriptions/" + Subscription + "//resourceGroups/rg-app")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-app?api-version=1&x=")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-app#fragment")]
    public async Task An_Id_That_Would_Leave_The_Arm_Path_Is_Refused_Before_Any_Request(string resourceId)
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        ArmResourceClient client = Create(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(resourceId, ApiVersion));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateOrUpdateAsync(resourceId, ApiVersion, Body));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAsync(resourceId, ApiVersion));

        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("2023-05-01&$expand=x")]
    [InlineData("2023-05-01#x")]
    [InlineData("../2023-05-01")]
    public async Task An_Api_Version_That_Would_Change_The_Query_Is_Refused_Before_Any_Request(string apiVersion)
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Create(server).GetAsync(StorageId, apiVersion));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Escapes_In_A_Name_Stay_Inside_Their_Segment_On_The_Arm_Host()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        string id = "/subscriptions/" + Subscription + "/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/a%2F..%2Fb";

        Assert.Null(await Create(server).GetAsync(id, ApiVersion));

        // Kestrel decodes %25 once: the segment arrives as the name was written, still one segment, traversal inert.
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal(id, request.Path);
        Assert.Equal("?api-version=" + ApiVersion, request.Query);
    }

    [Theory]
    [InlineData("Azure-AsyncOperation")]
    [InlineData("Location")]
    public async Task A_Polling_Url_On_Another_Port_Of_The_Same_Machine_Gets_No_Request(string header)
    {
        await using ArmTestServer arm = await ArmTestServer.StartAsync();
        await using ArmTestServer other = await ArmTestServer.StartAsync();
        other.Fallback = _ => TestResponse.Json(200, """{"status":"Succeeded"}""");
        arm.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating"), (header, other.Url(OperationPath))));

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => Create(arm).CreateOrUpdateAsync(StorageId, ApiVersion, Body));

        Assert.Equal(ArmErrorCodes.UntrustedPollingUrl, error.Code);
        Assert.Contains(other.Endpoint.GetLeftPart(UriPartial.Authority), error.Message, StringComparison.Ordinal);
        Assert.Empty(other.Requests);
        Assert.Single(arm.Requests);
    }

    [Fact]
    public async Task A_Polling_Url_Naming_The_Arm_Host_Differently_Gets_No_Request()
    {
        // The endpoint is https://127.0.0.1:port; "localhost" reaches the same socket but is not the configured host.
        await using ArmTestServer arm = await ArmTestServer.StartAsync();
        string renamed = arm.Url(OperationPath).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        arm.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating"), ("Azure-AsyncOperation", renamed)));

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => Create(arm).CreateOrUpdateAsync(StorageId, ApiVersion, Body));

        Assert.Equal(ArmErrorCodes.UntrustedPollingUrl, error.Code);
        Assert.Empty(arm.RequestsTo("GET", OperationPath));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_Redirect_From_Arm_Is_Not_Followed_With_The_Token(int status)
    {
        await using ArmTestServer arm = await ArmTestServer.StartAsync();
        await using ArmTestServer other = await ArmTestServer.StartAsync();
        other.Fallback = _ => TestResponse.Json(200, ResourceBody());
        arm.On("GET", StoragePath, TestResponse.Empty(status, ("Location", other.Url(StoragePath + "?api-version=" + ApiVersion))));

        // The pipeline does not follow redirects at all, so a Location header cannot carry the token elsewhere.
        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => Create(arm).GetAsync(StorageId, ApiVersion));

        Assert.Equal(ArmErrorCodes.UnexpectedRedirect, error.Code);
        Assert.Equal(ArmErrorKind.Fatal, error.Kind);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Single(arm.Requests);
        Assert.Empty(other.Requests);
    }

    [Theory]
    [InlineData("other-port")]
    [InlineData("renamed-host")]
    [InlineData("relative")]
    public async Task A_Next_Link_Off_The_Arm_Endpoint_Gets_No_Request(string where)
    {
        // A list page's nextLink is another URL ARM hands back: it gets the polling URL's rule.
        await using ArmTestServer arm = await ArmTestServer.StartAsync();
        await using ArmTestServer other = await ArmTestServer.StartAsync();
        const string Collection = "/subscriptions/" + Subscription + "/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts";
        string next = where switch
        {
            "other-port" => other.Url(Collection + "?api-version=" + ApiVersion + "&$skiptoken=x"),
            "renamed-host" => arm.Url(Collection + "?api-version=" + ApiVersion + "&$skiptoken=x").Replace("127.0.0.1", "localhost", StringComparison.Ordinal),
            _ => Collection + "?api-version=" + ApiVersion + "&$skiptoken=x",
        };
        other.Fallback = _ => TestResponse.Json(200, """{"value":[]}""");
        arm.On("GET", Collection, TestResponse.Json(200, $$"""{"value":[{"id":"{{StorageId}}"}],"nextLink":"{{next}}"}"""));
        ArmResourceClient client = Create(arm);

        ArmListPage first = await client.ListAsync(Collection, ApiVersion, nextLink: null);
        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.ListAsync(Collection, ApiVersion, first.NextLink));

        Assert.Equal([StorageId], first.Ids);
        Assert.Equal(ArmErrorCodes.UntrustedNextLink, error.Code);
        Assert.Equal(ArmErrorKind.Fatal, error.Kind);
        Assert.Single(arm.Requests);
        Assert.Empty(other.Requests);
    }
}
