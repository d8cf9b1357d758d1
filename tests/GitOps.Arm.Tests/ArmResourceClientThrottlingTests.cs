using System.Diagnostics;
using GitOps.Arm.Tests.Infrastructure;
using static GitOps.Arm.Tests.Infrastructure.TestClients;

namespace GitOps.Arm.Tests;

[Trait("Category", "Integration")]
public class ArmResourceClientThrottlingTests
{
    [Fact]
    public async Task Concurrent_Observe_Paces_Itself_Below_The_Servers_Token_Bucket()
    {
        // ARM's model scaled down (50 + 50/s instead of 250 + 25/s) so the test takes about two seconds: the server
        // throttles with 429 exactly like ARM, and the client must stay under it while 8 requests are in flight.
        const int capacity = 50;
        const double refill = 50;
        const int resources = 150;
        await using ArmTestServer server = await ArmTestServer.StartAsync();
        var bucket = new ServerBucket(capacity, refill);
        int throttled = 0;
        server.Fallback = request =>
        {
            if (!bucket.TryTake(out long remaining))
            {
                Interlocked.Increment(ref throttled);
                return TestResponse.Error(429, "SubscriptionRequestsThrottled", "Throttled.", ("Retry-After", "1"));
            }

            return TestResponse.Json(200, ResourceBody(id: request.Path),
                ("x-ms-ratelimit-remaining-subscription-reads", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        };
        ArmResourceClient client = Create(server, o =>
        {
            o.ThrottleBudget.ReadCapacity = capacity;
            o.ThrottleBudget.ReadRefillPerSecond = refill;
            o.ThrottleBudget.Reserve = 2;
        });
        string[] ids = Enumerable.Range(0, resources).Select(i => StorageId.Replace("stapp01", $"st{i:000}")).ToArray();
        var stopwatch = Stopwatch.StartNew();

        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, token) =>
            Assert.NotNull(await client.GetAsync(id, ApiVersion, token)));

        Assert.Equal(0, throttled);
        Assert.Equal(0, client.Counters.ThrottledResponses);
        Assert.Equal(resources, client.Counters.ReadsSent);
        // It had to wait for the refill: (150 - 50) / 50 = 2 s at the least.
        TimeSpan floor = TimeSpan.FromSeconds((resources - capacity) / refill);
        Assert.True(stopwatch.Elapsed >= floor * 0.9, $"finished in {stopwatch.Elapsed}, faster than the bucket allows");
        Assert.True(client.ThrottleBudget!.DelayedRequests > 0);
    }

    private sealed class ServerBucket(int capacity, double refillPerSecond)
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double _tokens = capacity;
        private TimeSpan _at;

        public bool TryTake(out long remaining)
        {
            lock (_gate)
            {
                TimeSpan now = _clock.Elapsed;
                _tokens = Math.Min(capacity, _tokens + ((now - _at).TotalSeconds * refillPerSecond));
                _at = now;
                if (_tokens < 1)
                {
                    remaining = 0;
                    return false;
                }

                _tokens -= 1;
                remaining = (long)Math.Floor(_tokens);
                return true;
            }
        }
    }
}
