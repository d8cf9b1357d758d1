using System.Net;
using GitOps.ArmSimulator.Throttling;
using GitOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.ArmSimulator.Tests;

public sealed class ThrottlingTests
{
    private const string Sub = ArmSimulatorFixture.SubscriptionId;

    [Fact]
    public void Token_Bucket_Empties_Then_Refills_Exactly_With_The_Clock()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(capacity: 3, refillPerSecond: 2, clock);
        Assert.True(bucket.TryTake(out var remaining, out _));
        Assert.Equal(2, remaining);
        Assert.True(bucket.TryTake(out remaining, out _));
        Assert.True(bucket.TryTake(out remaining, out _));
        Assert.Equal(0, remaining);

        Assert.False(bucket.TryTake(out _, out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(500), retryAfter);

        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(bucket.TryTake(out _, out retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(1), retryAfter);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake(out remaining, out _));
        Assert.Equal(0, remaining);

        clock.Advance(TimeSpan.FromHours(1)); // never above capacity
        Assert.True(bucket.TryTake(out remaining, out _));
        Assert.Equal(2, remaining);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Responses_Carry_Remaining_Headers_And_An_Empty_Bucket_Gives_429_Without_Processing()
    {
        var clock = new FakeTimeProvider();
        var options = new ArmSimulatorOptions
        {
            TimeProvider = clock,
            Throttling = { ReadBucketSize = 3, ReadRefillPerSecond = 1, WriteBucketSize = 2, WriteRefillPerSecond = 1, DeleteBucketSize = 1, DeleteRefillPerSecond = 1 },
        };
        await using var server = await ArmSimulatorServer.StartAsync(options);
        using var client = ArmHttp.CreateClient(server);

        var group = $"/subscriptions/{Sub}/resourceGroups/rg-throttle";
        using var w1 = await client.PutAsync(group, """{"location":"westeurope"}""", "2022-09-01");
        Assert.Equal("1", w1.Header("x-ms-ratelimit-remaining-subscription-writes"));
        Assert.False(w1.HasHeader("x-ms-ratelimit-remaining-subscription-reads"));
        using var w2 = await client.PutAsync(group + "x", """{"location":"westeurope"}""", "2022-09-01");
        Assert.Equal("0", w2.Header("x-ms-ratelimit-remaining-subscription-writes"));

        using var throttled = await client.PutAsync(group + "-never", """{"location":"westeurope"}""", "2022-09-01");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("SubscriptionRequestsThrottled", await throttled.ErrorCodeAsync());
        Assert.Equal("1", throttled.Header("Retry-After"));
        Assert.DoesNotContain(group + "-never", server.State.ResourceIds); // not processed

        // Reads have their own bucket.
        for (var expected = 2; expected >= 0; expected--)
        {
            using var read = await client.GetAsync(group, "2022-09-01");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), read.Header("x-ms-ratelimit-remaining-subscription-reads"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync(group, "2022-09-01")).StatusCode);

        // Deletes too, and another subscription is not affected.
        using var delete = await client.DeleteAsync($"{group}/providers/Microsoft.Demo/x/y", "2024-01-01");
        Assert.Equal("0", delete.Header("x-ms-ratelimit-remaining-subscription-deletes"));
        using var otherSub = await client.GetAsync("/subscriptions/other/resourcegroups", "2022-09-01");
        Assert.Equal(HttpStatusCode.OK, otherSub.StatusCode);
        Assert.Equal("2", otherSub.Header("x-ms-ratelimit-remaining-subscription-reads"));

        // Tokens return with the clock.
        clock.Advance(TimeSpan.FromSeconds(1));
        using var afterRefill = await client.PutAsync(group + "-later", """{"location":"westeurope"}""", "2022-09-01");
        Assert.Equal(HttpStatusCode.Created, afterRefill.StatusCode);
        Assert.Equal("0", afterRefill.Header("x-ms-ratelimit-remaining-subscription-writes"));

        var log = server.State.Requests;
        Assert.Contains(log, r => r.StatusCode == 429 && r.Kind == ArmOperationKind.Write && r.ErrorCode == "SubscriptionRequestsThrottled");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Default_Buckets_Are_Arms_Documented_Limits_And_Throttling_Can_Be_Turned_Off()
    {
        await using var server = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { TimeProvider = new FakeTimeProvider() });
        using var client = ArmHttp.CreateClient(server);
        using var read = await client.GetAsync($"/subscriptions/{Sub}/resourcegroups", "2022-09-01");
        Assert.Equal("249", read.Header("x-ms-ratelimit-remaining-subscription-reads"));
        using var write = await client.PutAsync($"/subscriptions/{Sub}/resourcegroups/rg", """{"location":"westeurope"}""", "2022-09-01");
        Assert.Equal("199", write.Header("x-ms-ratelimit-remaining-subscription-writes"));

        await using var unthrottled = await ArmSimulatorServer.StartAsync(new ArmSimulatorOptions { Throttling = { Enabled = false, ReadBucketSize = 1 } });
        using var free = ArmHttp.CreateClient(unthrottled);
        for (var i = 0; i < 3; i++)
        {
            using var response = await free.GetAsync($"/subscriptions/{Sub}/resourcegroups", "2022-09-01");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.HasHeader("x-ms-ratelimit-remaining-subscription-reads"));
        }
    }
}
