using GitOps.Arm.Tests.Infrastructure;
using GitOps.Core.Ports;
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
        var pending = new Queue<(long Remaining, long Ticket)>();
        int throttled = 0;

        for (int i = 0; i < 1000; i++)
        {
            Task<long> acquired = budget.AcquireAsync(Sub, ArmOperationKind.Read);
            // Fire the acquisition's timer; its continuation may finish on another thread, so await it with a deadline.
            if (!acquired.IsCompleted)
            {
                Assert.True(time.AdvanceToNextTimer(), "a waiting acquisition must have a timer");
            }

            long ticket = await acquired.WaitAsync(TimeSpan.FromSeconds(5));
            if (!arm.TryTake())
            {
                throttled++;
            }

            pending.Enqueue((arm.Remaining, ticket));
            if (pending.Count >= inFlight)
            {
                budget.Release(Sub, ArmOperationKind.Read);
                var (remaining, of) = pending.Dequeue();
                budget.ObserveRemaining(Sub, ArmOperationKind.Read, remaining, of);
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
        long ticket = await budget.AcquireAsync(Sub, ArmOperationKind.Write);
        budget.Release(Sub, ArmOperationKind.Write);
        budget.ObserveRemaining(Sub, ArmOperationKind.Write, 6, ticket);

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
    public async Task Cancelled_Waiter_Leaves_The_Queue_So_The_Next_Waits_One_Token_Not_Two()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { ReadCapacity = 10, Reserve = 5 }, time);
        await DrainToReserveAsync(budget, 5);
        using var cts = new CancellationTokenSource();
        Task<long> cancelled = budget.AcquireAsync(Sub, ArmOperationKind.Read, cts.Token);
        Task<long> next = budget.AcquireAsync(Sub, ArmOperationKind.Read);
        Assert.Equal(2, budget.Waiting(Sub, ArmOperationKind.Read));

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, budget.Waiting(Sub, ArmOperationKind.Read));

        // One token's worth of refill (reads: 25/s) is what the first in line waits; the cancelled one took nothing.
        time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.True(next.IsCompletedSuccessfully);
        Assert.Equal(0, budget.Waiting(Sub, ArmOperationKind.Read));
        Assert.Equal(1, budget.DelayedRequests);
        Assert.Equal(5, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);
    }

    [Fact]
    public async Task Push_Waiter_Queued_After_A_Hundred_Drift_Waiters_Goes_First_Then_Manual_Then_Drift()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { ReadCapacity = 10, Reserve = 5 }, time);
        await DrainToReserveAsync(budget, 5);

        List<Task<long>> drift = Enqueue(budget, new ArmCaller(ArmCallPriority.Drift, "platform/dev"), 100);
        Task<long> unnamed = budget.AcquireAsync(Sub, ArmOperationKind.Read); // no caller: manual
        Task<long> push = Enqueue(budget, new ArmCaller(ArmCallPriority.Push, "platform/prod"), 1).Single();
        Assert.Equal(102, budget.Waiting(Sub, ArmOperationKind.Read));

        time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.True(push.IsCompletedSuccessfully);
        Assert.False(unnamed.IsCompleted);
        Assert.DoesNotContain(drift, t => t.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.True(unnamed.IsCompletedSuccessfully);
        Assert.DoesNotContain(drift, t => t.IsCompleted);

        // Then the drift lane, in arrival order, one per token.
        time.Advance(TimeSpan.FromMilliseconds(120));
        Assert.Equal([true, true, true, false], drift.Take(4).Select(t => t.IsCompleted));
        Assert.Equal(97, budget.Waiting(Sub, ArmOperationKind.Read));

        // Tickets follow the order tokens were handed out in.
        Assert.True(await push < await unnamed);
        Assert.True(await unnamed < await drift[0]);
    }

    [Fact]
    public async Task Lanes_Of_One_Priority_Take_Turns_So_One_Waiter_Is_Not_Behind_A_Hundred()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { ReadCapacity = 10, Reserve = 5 }, time);
        await DrainToReserveAsync(budget, 5);

        List<Task<long>> sweep = Enqueue(budget, new ArmCaller(ArmCallPriority.Drift, "platform/a"), 100);
        Task<long> other = Enqueue(budget, new ArmCaller(ArmCallPriority.Drift, "platform/b"), 1).Single();

        time.Advance(TimeSpan.FromMilliseconds(80)); // two tokens
        Assert.True(other.IsCompletedSuccessfully);
        Assert.Equal(1, sweep.Count(t => t.IsCompleted));
        Assert.True(sweep[0].IsCompletedSuccessfully);

        // Alone again, the first lane gets every token.
        time.Advance(TimeSpan.FromMilliseconds(80));
        Assert.Equal(3, sweep.Count(t => t.IsCompleted));
    }

    [Fact]
    public async Task Count_From_A_Response_Older_Than_One_Observed_Is_Ignored()
    {
        // The clock stands still, so no refill blurs the arithmetic: the estimate after an observation is ARM's count
        // less the requests still outstanding.
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions(), time);
        long first = await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        long second = await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        long third = await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        Assert.True(first < second && second < third);
        Assert.Equal(247, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);

        // The third request's answer comes first: 100 left (another client spent the rest), and the first two are out.
        budget.Release(Sub, ArmOperationKind.Read);
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 100, third);
        Assert.Equal(98, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);

        // The first's answer was counted before the third's, by a bucket that has refilled since; taking its lower
        // count would slow every request down for nothing.
        budget.Release(Sub, ArmOperationKind.Read);
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 60, first);
        Assert.Equal(98, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);

        // A newer answer is taken, with the second request still out; the second's own, older again, is not.
        long fourth = await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        Assert.Equal(97, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);
        budget.Release(Sub, ArmOperationKind.Read);
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 90, fourth);
        Assert.Equal(89, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);
        budget.Release(Sub, ArmOperationKind.Read);
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 70, second);
        Assert.Equal(89, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);
    }

    [Fact]
    public async Task Higher_Count_From_Arm_Lets_Waiters_Go_At_Once()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { ReadCapacity = 10, Reserve = 5 }, time);
        long last = await DrainToReserveAsync(budget, 5);
        List<Task<long>> waiting = Enqueue(budget, new ArmCaller(ArmCallPriority.Drift, "platform/dev"), 3);

        // The last request was let go after the others were answered, and ARM says the bucket is full again (its
        // tokens were counted against another principal, say): no timer needed.
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 10, last);
        Assert.All(waiting, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(0, budget.Waiting(Sub, ArmOperationKind.Read));
    }

    [Fact]
    public async Task A_Count_From_A_Request_That_Overtook_An_Earlier_One_Still_Counts_The_Earlier_One()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { ReadCapacity = 10, Reserve = 5 }, time);
        long earlier = await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        long later = await budget.AcquireAsync(Sub, ArmOperationKind.Read);

        // The later request reaches ARM first (9 left), the earlier one second (8 left), and the earlier one's answer is
        // back first. ARM has 8; the later answer's 9 minus the requests in flight (none) would count the earlier
        // request nowhere, since it was answered after the later one was let go.
        budget.Release(Sub, ArmOperationKind.Read);
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 8, earlier);
        Assert.Equal(7, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);
        budget.Release(Sub, ArmOperationKind.Read);
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 9, later);
        Assert.Equal(8, budget.EstimateTokens(Sub, ArmOperationKind.Read), 3);

        // So with ARM at 8 and a reserve of 5, three more go at once and the fourth waits: ARM keeps its last 5.
        Assert.True(budget.AcquireAsync(Sub, ArmOperationKind.Read).IsCompletedSuccessfully);
        Assert.True(budget.AcquireAsync(Sub, ArmOperationKind.Read).IsCompletedSuccessfully);
        Assert.True(budget.AcquireAsync(Sub, ArmOperationKind.Read).IsCompletedSuccessfully);
        Assert.False(budget.AcquireAsync(Sub, ArmOperationKind.Read).IsCompleted);
    }

    [Fact]
    public async Task A_Later_Header_Does_Not_End_The_Hold_Of_A_429()
    {
        var time = new FakeTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions(), time);
        long first = await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        long second = await budget.AcquireAsync(Sub, ArmOperationKind.Read);
        budget.ObserveThrottled(Sub, ArmOperationKind.Read, TimeSpan.FromSeconds(3));
        budget.Release(Sub, ArmOperationKind.Read);
        budget.Release(Sub, ArmOperationKind.Read);

        // An answer read after the 429 says the bucket is full again; ARM refuses anything before Retry-After anyway.
        budget.ObserveRemaining(Sub, ArmOperationKind.Read, 250, second);
        Assert.True(first < second);

        Task<long> next = budget.AcquireAsync(Sub, ArmOperationKind.Read);
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(budget.TotalDelay >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_Late_Timer_Does_Not_Hold_Waiters_When_An_Arrival_Finds_Tokens_Refilled()
    {
        // System timers fire late under load; meanwhile tokens refill. The next arrival lets the queue go, in its order.
        var time = new LateTimeProvider();
        var budget = new ThrottleBudget(new ThrottleBudgetOptions { ReadCapacity = 10, Reserve = 5 }, time);
        await DrainToReserveAsync(budget, 5);
        Task<long> drift = Enqueue(budget, new ArmCaller(ArmCallPriority.Drift, "platform/dev"), 1).Single();
        Assert.False(drift.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(80)); // two tokens, and the timer has not fired
        Assert.False(drift.IsCompleted);
        Task<long> push = Enqueue(budget, new ArmCaller(ArmCallPriority.Push, "platform/prod"), 1).Single();

        Assert.True(push.IsCompletedSuccessfully);
        Assert.True(drift.IsCompletedSuccessfully);
        Assert.True(await push < await drift);
        Assert.Equal(1, budget.DelayedRequests); // the push did not wait
    }

    [Fact]
    public void Invalid_Options_Are_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new ThrottleBudget(new ThrottleBudgetOptions { ReadRefillPerSecond = 0 }));
        Assert.Throws<ArgumentException>(() => new ThrottleBudget(new ThrottleBudgetOptions { Reserve = 200 }));
    }

    // Spends the bucket down to the reserve with requests that go at once and are answered; returns the last ticket.
    private static async Task<long> DrainToReserveAsync(ThrottleBudget budget, int count)
    {
        long ticket = 0;
        for (int i = 0; i < count; i++)
        {
            Task<long> acquired = budget.AcquireAsync(Sub, ArmOperationKind.Read);
            Assert.True(acquired.IsCompletedSuccessfully, $"request {i} should not wait");
            ticket = await acquired;
            budget.Release(Sub, ArmOperationKind.Read);
        }

        Assert.True(budget.EstimateTokens(Sub, ArmOperationKind.Read) < 6);
        return ticket;
    }

    private static List<Task<long>> Enqueue(ThrottleBudget budget, ArmCaller caller, int count)
    {
        using var _ = ArmCallContext.Enter(caller);
        return Enumerable.Range(0, count).Select(_ => budget.AcquireAsync(Sub, ArmOperationKind.Read)).ToList();
    }

    /// <summary>A clock whose timers never fire: what a late system timer looks like to the budget.</summary>
    private sealed class LateTimeProvider : FakeTimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverTimer();

        private sealed class NeverTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
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
