using System.Text.Json.Nodes;
using GitOps.Arm.Tests.Infrastructure;
using GitOps.Core.Ports;
using static GitOps.Arm.Tests.Infrastructure.TestClients;

namespace GitOps.Arm.Tests;

[Trait("Category", "Integration")]
public class ArmResourceClientRetryTests
{
    [Fact]
    public async Task Throttled_429_Waits_Retry_After_Then_Succeeds()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("GET", StoragePath,
            TestResponse.Error(429, "SubscriptionRequestsThrottled", "Too many requests.", ("Retry-After", "1")),
            TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server);

        ArmResource? resource = await client.GetAsync(StorageId, ApiVersion);

        Assert.NotNull(resource);
        IReadOnlyList<RecordedRequest> gets = server.RequestsTo("GET", StoragePath);
        Assert.Equal(2, gets.Count);
        TimeSpan gap = gets[1].ReceivedAt - gets[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"retried after {gap}, Retry-After was 1 s");
        Assert.Equal(1, client.Counters.ThrottledResponses);
        Assert.Equal(1, client.Counters.Retries);
        Assert.Equal(2, client.Counters.ReadsSent);
    }

    [Fact]
    public async Task Transient_5xx_Is_Retried_With_Backoff()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath,
            TestResponse.Error(503, "ServiceUnavailable", "Try later."),
            TestResponse.Empty(500),
            TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server);

        ArmResource resource = await client.CreateOrUpdateAsync(StorageId, ApiVersion, new JsonObject());

        Assert.Equal(StorageId, resource.Id);
        Assert.Equal(3, server.RequestsTo("PUT", StoragePath).Count);
        Assert.Equal(2, client.Counters.Retries);
        Assert.Equal(0, client.Counters.ThrottledResponses);
    }

    [Fact]
    public async Task Retries_Are_Bounded_And_The_Last_Error_Is_Thrown_As_Transient()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("DELETE", StoragePath,
            TestResponse.Error(502, "BadGateway", "Upstream failed.", ("x-ms-correlation-request-id", "corr-502")));
        ArmResourceClient client = Create(server, o => o.Retry.MaxRetries = 2);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.DeleteAsync(StorageId, ApiVersion));

        Assert.Equal(3, server.RequestsTo("DELETE", StoragePath).Count);
        Assert.Equal(502, error.Status);
        Assert.Equal("BadGateway", error.Code);
        Assert.Equal(ArmErrorKind.Transient, error.Kind);
        Assert.Equal("corr-502", error.CorrelationId);
    }

    [Fact]
    public async Task Fatal_400_Is_Not_Retried_And_Carries_Code_Message_Status_And_Correlation_Id()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Error(400, "InvalidParameter", "Location 'mars' is not available.",
            ("x-ms-correlation-request-id", "corr-400")));
        ArmResourceClient client = Create(server);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.CreateOrUpdateAsync(StorageId, ApiVersion, new JsonObject()));

        Assert.Single(server.Requests);
        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidParameter", error.Code);
        Assert.Equal("Location 'mars' is not available.", error.ArmMessage);
        Assert.Equal(ArmErrorKind.Fatal, error.Kind);
        Assert.Equal("corr-400", error.CorrelationId);
        Assert.Equal(0, client.Counters.Retries);
    }

    [Fact]
    public async Task Conflict_With_Another_Operation_Is_Retried()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath,
            TestResponse.Error(409, "AnotherOperationInProgress", "Another operation is in progress."),
            TestResponse.Json(200, ResourceBody()));
        ArmResourceClient client = Create(server);

        await client.CreateOrUpdateAsync(StorageId, ApiVersion, new JsonObject());

        Assert.Equal(2, server.RequestsTo("PUT", StoragePath).Count);
    }

    [Fact]
    public async Task Retry_After_Longer_Than_MaxDelay_Is_Handed_Back_Instead_Of_Waited()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("GET", StoragePath, TestResponse.Error(429, "SubscriptionRequestsThrottled", "Slow down.", ("Retry-After", "120")));
        ArmResourceClient client = Create(server);

        ArmRequestException error = await Assert.ThrowsAsync<ArmRequestException>(() => client.GetAsync(StorageId, ApiVersion));

        Assert.Single(server.Requests);
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
    }

    [Fact]
    public async Task Error_Messages_Never_Carry_Secrets_From_The_Body()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("PUT", StoragePath, TestResponse.Json(400, """
            {"error":{"code":"InvalidRequestContent",
                      "message":"Bad connection string DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0S2V5PT0= and \"password\": \"hunter2\""},
             "accessKeys":{"primaryKey":"TOP-SECRET-KEY"}}
            """));
        server.On("GET", StoragePath, TestResponse.Json(200, """not json "primaryKey":"TOP-SECRET-KEY" """));
        ArmResourceClient client = Create(server);

        ArmRequestException put = await Assert.ThrowsAsync<ArmRequestException>(() => client.CreateOrUpdateAsync(StorageId, ApiVersion, new JsonObject()));
        ArmRequestException get = await Assert.ThrowsAsync<ArmRequestException>(() => client.GetAsync(StorageId, ApiVersion));

        foreach (ArmRequestException error in new[] { put, get })
        {
            string everything = error.ToString();
            Assert.DoesNotContain("c2VjcmV0S2V5PT0=", everything);
            Assert.DoesNotContain("hunter2", everything);
            Assert.DoesNotContain("TOP-SECRET-KEY", everything);
        }

        Assert.Contains("AccountKey=***", put.ArmMessage);
        Assert.Equal(ArmErrorCodes.InvalidResponse, get.Code);
    }

    [Fact]
    public async Task Rate_Limit_Header_Of_The_Requests_Kind_Feeds_The_Throttle_Budget()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        server.On("GET", StoragePath, TestResponse.Json(200, ResourceBody(),
            ("x-ms-ratelimit-remaining-subscription-reads", "17"),
            ("x-ms-ratelimit-remaining-subscription-writes", "42")));
        ArmResourceClient client = Create(server);

        await client.GetAsync(StorageId, ApiVersion);

        ThrottleBudget budget = Assert.IsType<ThrottleBudget>(client.ThrottleBudget);
        // Refill since the response adds at most a few tokens (25/s reads).
        Assert.InRange(budget.EstimateTokens(Subscription, ArmOperationKind.Read), 17, 27);

        // ARM sends the count of the request's own kind; one of another kind could not be ordered against that bucket's
        // own answers (ThrottleBudget.ObserveRemaining), so it is not taken.
        Assert.Equal(200, budget.EstimateTokens(Subscription, ArmOperationKind.Write));
        Assert.Equal(200, budget.EstimateTokens(Subscription, ArmOperationKind.Delete));
    }

    [Fact]
    public async Task Throttle_Budget_Can_Be_Switched_Off()
    {
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        ArmResourceClient client = Create(server, o => o.ThrottleBudget.Enabled = false);

        Assert.Null(client.ThrottleBudget);
        Assert.Null(await client.GetAsync(StorageId, ApiVersion));
    }
}
