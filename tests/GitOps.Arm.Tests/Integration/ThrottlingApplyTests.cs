using Xunit.Abstractions;
using static GitOps.Arm.Tests.Integration.Declarations;

namespace GitOps.Arm.Tests.Integration;

[Trait("Category", "Integration")]
public sealed class ThrottlingApplyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_Apply_Larger_Than_The_Write_Bucket_Paces_Itself_And_Succeeds_In_One_Run()
    {
        const int extra = 30;

        // A region with a small write bucket: 15 writes, then 20 per second.
        await using var harness = await ReconcileHarness.StartAsync(
            o =>
            {
                o.Throttling.WriteBucketSize = 15;
                o.Throttling.WriteRefillPerSecond = 20;
            },
            c => c.ThrottleBudget.WriteRefillPerSecond = 20);
        var loaded = ReconcileHarness.Load(Tree(extra: ExtraStorage(extra)));

        var run = await harness.ApplyAsync(loaded);

        var log = harness.Sim.Requests;
        var throttled = log.Count(r => r.StatusCode == 429);
        output.WriteLine($"{log.Count} requests, {throttled} throttled, client: {harness.Client.Counters}");
        Assert.True(run.Applied.Succeeded, string.Join(Environment.NewLine, run.Applied.Results.Where(r => r.Outcome != Core.Apply.ResourceOutcome.Succeeded)));
        Assert.Equal(AllIds.Length + extra, run.Applied.Writes);

        // The client learnt the bucket from x-ms-ratelimit-remaining-subscription-writes and waited for tokens
        // instead of spending its retries on 429s.
        Assert.True(throttled <= 2, RequestLog.Describe(log.Where(r => r.StatusCode == 429)));
        Assert.Equal(AllIds.Length + extra, log.Count(r => r.Method == "PUT" && r.StatusCode == 201));
    }
}
