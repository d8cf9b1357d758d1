using System.Diagnostics;
using GitOps.Arm.Tests.Infrastructure;
using GitOps.Core.Ports;
using static GitOps.Arm.Tests.Infrastructure.TestClients;

namespace GitOps.Arm.Tests;

[Trait("Category", "Integration")]
public class ArmResourceClientPollingTests
{
    private const string LocationPath = "/subscriptions/" + Subscription + "/providers/Microsoft.Storage/locations/westeurope/operationResults/op-1";

    [Fact]
    public async Task Put_Polls_Azure_AsyncOperation_Until_Succeeded_Then_Reads_The_Resource()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating"),
            ("Azure-AsyncOperation", server.Url(OperationPath + "?api-version=2023-05-01")),
            ("Location", server.Url(LocationPath + "?api-version=2023-05-01")),
            ("Retry-After", "0")));
        server.On("GET", OperationPath,
            TestResponse.Json(200, """{"status":"InProgress"}""", ("Retry-After", "0")),
            TestResponse.Json(200, """{"status":"Succeeded"}"""));
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody(), ("x-ms-correlation-request-id", "corr-final")));
        ArmResourceClient client = Create(server);

        ArmResource result = await client.CreateOrUpdateAsync(StorageId, ApiVersion, Body);

        Assert.Equal("Succeeded", result.Body["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("corr-final", result.CorrelationId);
        Assert.Equal(2, server.RequestsTo("GET", OperationPath).Count);
        Assert.Empty(server.RequestsTo("GET", LocationPath)); // Azure-AsyncOperation wins over Location
        Assert.Equal(ApiVersion, Assert.Single(server.RequestsTo("GET", StoragePath)).ApiVersion);
        Assert.Equal("Bearer " + Token, server.RequestsTo("GET", OperationPath)[0].Header("Authorization"));
    }

    [Fact]
    public async Task Put_202_Polls_Location_Until_Done_Then_Reads_The_Resource()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Empty(202, ("Location", server.Url(LocationPath + "?api-version=2023-05-01"))));
        server.On("GET", LocationPath, TestResponse.Empty(202), TestResponse.Empty(202), TestResponse.Json(200, ResourceBody()));
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server);

        ArmResource result = await client.CreateOrUpdateAsync(StorageId, ApiVersion, Body);

        Assert.Equal(StorageId, result.Id);
        Assert.Equal(3, server.RequestsTo("GET", LocationPath).Count);
        Assert.Single(server.RequestsTo("GET", StoragePath));
        Assert.Equal(1 + 3 + 1, server.Requests.Count);
    }

    [Fact]
    public async Task Put_Polls_ProvisioningState_When_There_Is_No_Operation_Header()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating")));
        server.On("GET", StoragePath,
            TestResponse.Json(200, ResourceBody("Creating")),
            TestResponse.Json(200, ResourceBody("InitializationInProgress")),
            TestResponse.Json(200, ResourceBody("Succeeded")));
        ArmResourceClient client = Create(server);

        ArmResource result = await client.CreateOrUpdateAsync(StorageId, ApiVersion, Body);

        Assert.Equal("Succeeded", result.Body["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(3, server.RequestsTo("GET", StoragePath).Count);
    }

    [Fact]
    public async Task Put_202_With_Body_And_Lower_Case_Headers_Is_Followed()
    {
        // Microsoft.Web answers 202 with a body and lower-case azure-asyncoperation/location headers.
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(202, "{}",
            ("azure-asyncoperation", server.Url(OperationPath + "?api-version=2023-05-01")),
            ("location", server.Url(LocationPath))));
        server.On("GET", OperationPath, TestResponse.Json(200, """{"status":"Running"}"""), TestResponse.Json(200, """{"status":"Succeeded"}"""));
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server);

        ArmResource result = await client.CreateOrUpdateAsync(StorageId, ApiVersion, Body);

        Assert.Equal(StorageId, result.Id);
        Assert.Equal(2, server.RequestsTo("GET", OperationPath).Count);
    }

    [Fact]
    public async Task Put_Storage_202_Empty_Object_Without_Headers_Reads_The_Resource()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(202, "{}"));
        server.On("GET", StoragePath, TestResponse.Error(404, "ResourceNotFound", "not yet"), TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server);

        ArmResource result = await client.CreateOrUpdateAsync(StorageId, ApiVersion, Body);

        Assert.Equal(StorageId, result.Id);
        Assert.Equal(2, server.RequestsTo("GET", StoragePath).Count);
    }

    [Fact]
    public async Task Non_Standard_Created_State_Is_Capped_By_A_Timeout_Then_Confirmed_By_A_Get()
    {
        // Service Bus settles in "Created", which is not terminal by ARM's contract; waiting for Succeeded would hang.
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Created")));
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody("Created"), ("x-ms-correlation-request-id", "corr-confirm")));
        ArmResourceClient client = Create(server, o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.NonStandardStateTimeout = TimeSpan.FromMilliseconds(300);
        });
        var stopwatch = Stopwatch.StartNew();

        ArmResource result = await client.CreateOrUpdateAsync(StorageId, ApiVersion, Body);

        // The client's own clock: it waited out the timeout (which starts after the PUT was sent) before confirming.
        // The server's timestamps are not compared: under load a request is stamped late, which says nothing about the client.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(300), $"returned after {stopwatch.Elapsed}");
        Assert.Equal("Created", result.Body["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("corr-confirm", result.CorrelationId);
        Assert.NotEmpty(server.RequestsTo("GET", StoragePath));
        Assert.Single(server.RequestsTo("PUT", StoragePath));
    }

    [Fact]
    public async Task Failed_Operation_Throws_With_The_Operations_Error()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating"),
            ("Azure-AsyncOperation", server.Url(OperationPath))));
        server.On("GET", OperationPath, TestResponse.Json(200,
            """{"status":"Failed","error":{"code":"InvalidParameter","message":"The value of minimumTlsVersion is not valid."}}""",
            ("x-ms-correlation-request-id", "corr-op")));
        ArmResourceClient client = Create(server);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.CreateOrUpdateAsync(StorageId, ApiVersion, Body));

        Assert.Equal("InvalidParameter", error.Code);
        Assert.Equal("The value of minimumTlsVersion is not valid.", error.ArmMessage);
        Assert.Equal(0, error.Status);
        Assert.Equal(ArmErrorKind.Fatal, error.Kind);
        Assert.Equal("corr-op", error.CorrelationId);
    }

    [Fact]
    public async Task Failed_ProvisioningState_Without_Error_Throws_OperationFailed()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating")));
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody("Canceled")));
        ArmResourceClient client = Create(server);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.CreateOrUpdateAsync(StorageId, ApiVersion, Body));

        Assert.Equal(ArmErrorCodes.OperationCanceled, error.Code);
        Assert.Contains(StorageId, error.ArmMessage);
    }

    [Fact]
    public async Task Operation_Still_Running_At_The_Deadline_Throws_A_Transient_Timeout()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating"), ("Azure-AsyncOperation", server.Url(OperationPath))));
        server.On("GET", OperationPath, TestResponse.Json(200, """{"status":"InProgress"}"""));
        ArmResourceClient client = Create(server, o => o.OperationTimeout = TimeSpan.FromSeconds(1));
        // Warm the connection and the JIT so the deadline measures polling, not the first TLS handshake.
        Assert.Null(await client.GetAsync(StorageId.Replace("stapp01", "warmup"), ApiVersion));

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.CreateOrUpdateAsync(StorageId, ApiVersion, Body));

        Assert.Equal(ArmErrorCodes.OperationTimeout, error.Code);
        Assert.True(error.IsTransient);
        int polls = server.RequestsTo("GET", OperationPath).Count;
        Assert.True(polls >= 2, $"{polls} polls; requests: {string.Join(", ", server.Requests.Select(r => r.Method + " " + r.Path))}");
    }

    [Fact]
    public async Task Retry_After_Sets_The_Poll_Interval_And_MaxPollInterval_Caps_It()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating"),
            ("Azure-AsyncOperation", server.Url(OperationPath)), ("Retry-After", "1")));
        server.On("GET", OperationPath,
            TestResponse.Json(200, """{"status":"InProgress"}""", ("Retry-After", "60")),
            TestResponse.Json(200, """{"status":"Succeeded"}"""));
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server, o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(10);
            o.MaxPollInterval = TimeSpan.FromMilliseconds(1500);
        });

        await client.CreateOrUpdateAsync(StorageId, ApiVersion, Body);

        DateTimeOffset put = Assert.Single(server.RequestsTo("PUT", StoragePath)).ReceivedAt;
        IReadOnlyList<RecordedRequest> polls = server.RequestsTo("GET", OperationPath);
        TimeSpan firstWait = polls[0].ReceivedAt - put;
        TimeSpan secondWait = polls[1].ReceivedAt - polls[0].ReceivedAt;
        Assert.True(firstWait >= TimeSpan.FromMilliseconds(950), $"waited {firstWait} for Retry-After: 1");
        Assert.True(secondWait >= TimeSpan.FromMilliseconds(1450) && secondWait < TimeSpan.FromSeconds(10), $"waited {secondWait}, cap 1.5 s");
    }

    [Fact]
    public async Task Delete_Polls_Location_Until_204()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("DELETE", StoragePath, TestResponse.Empty(202, ("Location", server.Url(LocationPath))));
        server.On("GET", LocationPath, TestResponse.Empty(202), TestResponse.Empty(204));
        ArmResourceClient client = Create(server);

        await client.DeleteAsync(StorageId, ApiVersion);

        Assert.Equal(2, server.RequestsTo("GET", LocationPath).Count);
        Assert.Equal(ApiVersion, Assert.Single(server.RequestsTo("DELETE", StoragePath)).ApiVersion);
        Assert.Equal(1, client.Counters.DeletesSent);
        Assert.Equal(2, client.Counters.ReadsSent);
    }

    [Fact]
    public async Task Delete_Without_Operation_Headers_Waits_Until_Get_Answers_404()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("DELETE", StoragePath, TestResponse.Empty(202));
        server.On("GET", StoragePath,
            TestResponse.Json(200, ResourceBody("Deleting")),
            TestResponse.Error(404, "ResourceNotFound", "gone"));
        ArmResourceClient client = Create(server);

        await client.DeleteAsync(StorageId, ApiVersion);

        Assert.Equal(2, server.RequestsTo("GET", StoragePath).Count);
    }

    [Fact]
    public async Task Delete_Polls_Azure_AsyncOperation()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("DELETE", StoragePath, TestResponse.Empty(202,
            ("Azure-AsyncOperation", server.Url(OperationPath)), ("Location", server.Url(LocationPath))));
        server.On("GET", OperationPath, TestResponse.Json(200, """{"status":"Deleting"}"""), TestResponse.Json(200, """{"status":"Succeeded"}"""));
        ArmResourceClient client = Create(server);

        await client.DeleteAsync(StorageId, ApiVersion);

        Assert.Equal(2, server.RequestsTo("GET", OperationPath).Count);
        Assert.Empty(server.RequestsTo("GET", LocationPath));
    }

    [Fact]
    public async Task Delete_Of_A_Missing_Resource_Succeeds()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        ArmResourceClient client = Create(server);

        await client.DeleteAsync(StorageId, ApiVersion);

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Polling_Url_On_Another_Host_Is_Refused_And_The_Token_Not_Sent()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(201, ResourceBody("Creating"),
            ("Azure-AsyncOperation", "https://attacker.example/operations/1")));
        ArmResourceClient client = Create(server);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.CreateOrUpdateAsync(StorageId, ApiVersion, Body));

        Assert.Equal(ArmErrorCodes.UntrustedPollingUrl, error.Code);
        Assert.Equal(ArmErrorKind.Fatal, error.Kind);
        Assert.Contains("https://attacker.example", error.Message);
        Assert.Single(server.Requests);
    }
}
