using GitOps.Arm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Arm.Tests;

public class ThrottleBudgetTests
{
    private const string Sub = "sub-1";

    [Fact]
    public async Task Burst_Up_To_Reserve_Goes_Without_Waiting()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { Reserve = 5 }, time);

        for (int i = 0; i < 245; i++)
        {
            Task acquired = budget.AcquireAsync(Sub, ArmOperationKind.Read);
            Assert.True(acquired.IsCompletedSuccessfully, $"request {i} should not wait");
            budget.Release(Sub, ArmOperationKind.Read);
        }

        Task queued = budget.AcquireAsync(Sub, ArmOperationKind.Read);
        Assert.False(queued.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(39));
        Assert.False(queued.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await queued;
        Assert.Equal(1, budget.DelayedRequests);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task Thousand_Reads_Are_Paced_At_Refill_Rate_Without_A_429(int inFlight)
    {
        // ARM's read bucket (250 + 25/s) simulated on the same fake clock. Responses come back inFlight requests
        // late, as they do with that many concurrent requests, so the header the budget sees is always stale.
        var time = new SteppingTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions(), time);
        var arm = new SimulatedBucket(250, 25, time);
        var pending = new Queue<long>();
        int throttled = 0;

        for (int i = 0; i < 1000; i++)
        {
            Task acquired = budget.AcquireAsync(Sub, ArmOperationKind.Read);
            // Fire the acquisition's timer; its continuation may finish on another thread, so await it with a deadline.
            if (!acquired.IsCompleted)
            {
                Assert.True(time.AdvanceToNextTimer(), "a waiting acquisition must have a timer");
            }

            await acquired.WaitAsync(TimeSpan.FromSeconds(5));
            if (!arm.TryTake())
            {
                throttled++;
            }

            pending.Enqueue(arm.Remaining);
            if (pending.Count >= inFlight)
            {
                budget.Release(Sub, ArmOperationKind.Read);
                budget.ObserveRemaining(Sub, ArmOperationKind.Read, pending.Dequeue());
            }
        }

        Assert.Equal(0, throttled);
        double floor = (1000 - 250) / 25.0;
        Assert.InRange(time.Elapsed.TotalSeconds, floor, floor * 1.10);
    }

    [Fact]
    public async Task Header_Lower_Than_Estimate_Slows_Requests_Down()
    {
        // Another client spent most of the bucket: ARM says 6 left, so after one more request we are at the reserve.
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { Reserve = 5 }, time);
        await budget.AcquireAsync(Sub, ArmOperationKind.Write);
        budget.Release(Sub, ArmOperationKind.Write);
        budget.ObserveRemaining(Sub, ArmOperationKind.Write, 6);

        Task first = budget.AcquireAsync(Sub, ArmOperationKind.Write);
        Assert.True(first.IsCompletedSuccessfully);
        Task second = budget.AcquireAsync(Sub, ArmOperationKind.Write);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100)); // writes refill at 10/s
        await second;

        // Other kinds and other subscriptions have their own buckets.
        Assert.True(budget.AcquireAsync(Sub, ArmOperationKind.Read).IsCompletedSuccessfully);
        Assert.True(budget.AcquireAsync("sub-2", ArmOperationKind.Write).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Throttled_Holds_Every_Request_Of_The_Kind_For_Retry_After()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions(), time);
        budget.ObserveThrottled(Sub, ArmOperationKind.Read, TimeSpan.FromSeconds(3));

        Task next = budget.AcquireAsync(Sub, ArmOperationKind.Read);
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.2));
        await next;
        Assert.True(budget.TotalDelay >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Cancelled_Wait_Returns_Its_Token()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { ReadCapacity = 10, Reserve = 5 }, time);
        for (int i = 0; i < 5; i++)
        {
            await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        }

        double before = budget.EstimateTokens(Sub, ArmOperationKind.Read);
        using var cts = new CancellationTokenSource();
        Task waiting = budget.AcquireAsync(Sub, ArmOperationKind.Read, cts.Token);
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(before, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);
    }

    [Fact]
    public void Invalid_Options_Are_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new ThrottleBudget(new ThrottleBudgetOptions { ReadRefillPerSecond = 0 }));
        Assert.Throws<ArgumentException>(() => new ThrottleBudget(new ThrottleBudgetOptions { Reserve = 200 }));
    }

    private sealed class SimulatedBucket(int capacity, double refillPerSecond, TimeProvider time)
    {
        private double _tokens = capacity;
        private TimeSpan _at = TimeSpan.Zero;

        public long Remaining => (long)Math.Floor(Refilled());

        public bool TryTake()
        {
            _tokens = Refilled();
            _at = Now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }

        private TimeSpan Now => time.GetElapsedTime(0);

        private double Refilled() => Math.Min(capacity, _tokens + ((Now - _at).TotalSeconds * refillPerSecond));
    }
}
