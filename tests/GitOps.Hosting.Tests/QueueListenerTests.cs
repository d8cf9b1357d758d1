using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using GitOps.Core.Runs;
using GitOps.Hosting.Handlers;
using GitOps.Hosting.Settings;
using GitOps.Hosting.Standalone;
using GitOps.Storage;
using GitOps.Storage.Queues;
using GitOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOps.Hosting.Tests;

[Collection(HostingCollection.QueueListener)]
[Trait("Category", "Integration")]
public sealed class QueueListenerTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly QueueListenerSettings Fast = new()
    {
        BatchSize = 4,
        NewBatchThreshold = 2,
        VisibilityTimeout = TimeSpan.FromSeconds(1),
        ProcessingTimeout = TimeSpan.FromSeconds(10),
        MaxDequeueCount = 3,
        MaxPollingInterval = TimeSpan.FromMilliseconds(200),
    };

    private async Task<StorageQueueClient> QueueAsync(CountingPolicy? counter = null)
    {
        var options = new StorageQueueClientOptions();
        if (counter is not null)
        {
            options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        }

        var queue = new StorageQueueClient(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("listener"), options);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    private static QueueListener Listener(StorageQueueClient queue, Func<string, int, CancellationToken, Task<MessageDisposition>> handler, QueueListenerSettings? settings = null) =>
        new(queue, handler, settings ?? Fast, NullLogger.Instance);

    private static Task<long> CountAsync(StorageQueueClient queue) => queue.GetApproximateMessageCountAsync();

    [Fact]
    public async Task Batch_Is_Processed_In_Parallel_And_Completed_Messages_Are_Deleted()
    {
        var queue = await QueueAsync();
        for (var i = 0; i < 4; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }

        var running = 0;
        var maxRunning = 0;
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = Listener(queue, async (_, _, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            if (now == 4)
            {
                allIn.TrySetResult();
            }

            // Each handler waits until all four run at once: only parallel processing lets this finish.
            await allIn.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            Interlocked.Decrement(ref running);
            return MessageDisposition.Complete;
        });
        await listener.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => CountAsync(queue), c => c == 0 && listener.Processed == 4, Deadline, "the batch to be deleted");
        await listener.StopAsync(CancellationToken.None);
        Assert.Equal(4, maxRunning);
    }

    [Fact]
    public async Task Retry_Makes_The_Message_Visible_Again_After_The_Visibility_Timeout_With_The_Next_Dequeue_Count()
    {
        var queue = await QueueAsync();
        await queue.SendMessageAsync("retry-me");
        var seen = new ConcurrentQueue<(int DequeueCount, DateTime At)>();
        using var listener = Listener(queue, (_, dequeueCount, _) =>
        {
            seen.Enqueue((dequeueCount, DateTime.UtcNow));
            return Task.FromResult(dequeueCount == 1 ? MessageDisposition.Retry : MessageDisposition.Complete);
        });
        await listener.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => CountAsync(queue), c => c == 0 && seen.Count == 2, Deadline, "the retried message to complete");
        await listener.StopAsync(CancellationToken.None);
        var deliveries = seen.ToArray();
        Assert.Equal([1, 2], deliveries.Select(d => d.DequeueCount));
        Assert.True(deliveries[1].At - deliveries[0].At >= TimeSpan.FromMilliseconds(900), $"redelivered after {deliveries[1].At - deliveries[0].At}");
    }

    [Fact]
    public async Task Past_MaxDequeueCount_The_Message_Goes_To_Poison_And_The_Poison_Function_Records_A_Failed_Run()
    {
        using var world = new TestWorld(azurite, arm);
        var runtime = await world.RuntimeAsync();
        var job = new ReconcileJob
        {
            JobId = "job-poisoned",
            Repository = "app",
            Environment = "dev",
            Trigger = RunTrigger.Manual,
            EnqueuedAt = DateTimeOffset.UtcNow,
        };
        await runtime.Storage.Jobs.EnqueueAsync(job);
        var attempts = new ConcurrentQueue<int>();
        using var listener = new QueueListener(runtime.Storage.Queue, (_, dequeueCount, _) =>
        {
            attempts.Enqueue(dequeueCount);
            return Task.FromResult(MessageDisposition.Retry);
        }, runtime.Settings.Queue, NullLogger.Instance);
        using var poison = Listeners.Poison(runtime);
        await listener.StartAsync(CancellationToken.None);
        await poison.StartAsync(CancellationToken.None);

        var runs = await Poll.UntilAsync(() => runtime.Storage.Runs.ListAsync("app/dev", 10), r => r.Count > 0, Deadline, "the poison run record");
        await listener.StopAsync(CancellationToken.None);
        await poison.StopAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3], attempts);
        var run = Assert.Single(runs);
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal("job-poisoned", run.JobId);
        Assert.Equal(3, run.Attempt);
        Assert.Contains("after 3 deliveries", run.Summary);
        Assert.Equal(0, await CountAsync(runtime.Storage.Queue));
        Assert.Equal(0, await CountAsync(runtime.Storage.Queue.GetPoisonQueueClient()));
        var state = await runtime.Storage.States.GetAsync("app/dev");
        Assert.Equal(RunOutcome.Failed, state!.Value.State.LastOutcome);
        Assert.Equal(Conditions.JobPoisoned, run.Reason);
        Assert.Contains(state.Value.State.Conditions, c => c.Type == Conditions.Ready && c.Reason == Conditions.JobPoisoned);
    }

    [Fact]
    public async Task A_Message_That_Is_Not_Base64_Goes_To_Poison_Without_Running()
    {
        var queue = await QueueAsync();
        await queue.GetPoisonQueueClient().CreateIfNotExistsAsync();
        await queue.SendRawMessageAsync("this is *not* base64!");
        var ran = 0;
        using var listener = Listener(queue, (_, _, _) =>
        {
            Interlocked.Increment(ref ran);
            return Task.FromResult(MessageDisposition.Complete);
        });
        await listener.StartAsync(CancellationToken.None);
        var poisoned = await Poll.UntilAsync(() => queue.GetPoisonQueueClient().PeekMessagesAsync(5), p => p.Count > 0, Deadline, "the poison message");
        await listener.StopAsync(CancellationToken.None);
        Assert.Equal(0, ran);
        Assert.Equal("this is *not* base64!", Assert.Single(poisoned).RawText);
        Assert.Equal(0, await CountAsync(queue));
    }

    [Fact]
    public async Task Idle_Polling_Backs_Off_Up_To_MaxPollingInterval()
    {
        var counter = new CountingPolicy();
        var queue = await QueueAsync(counter);
        using var listener = Listener(queue, (_, _, _) => Task.FromResult(MessageDisposition.Complete), Fast with { MaxPollingInterval = TimeSpan.FromSeconds(1) });
        await listener.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => counter.Receives >= 1, Deadline, "the first poll");
        var started = DateTime.UtcNow;

        // Without back-off the listener would poll every 100 ms (about 30 times in 3 s); with it, the waits grow
        // 100, 200, 400, 800 ms and then stay at the 1 s maximum: about 7 polls.
        await Poll.UntilAsync(() => DateTime.UtcNow - started >= TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), "three idle seconds");
        var polls = counter.Receives;
        await listener.StopAsync(CancellationToken.None);
        Assert.InRange(polls, 4, 10);
    }

    [Fact]
    public async Task A_Long_Running_Handler_Keeps_Its_Message_Invisible_So_Another_Listener_Does_Not_Get_It()
    {
        var queue = await QueueAsync();
        await queue.SendMessageAsync("long");
        // 5 s: the renewal at half of it must reach Azurite in time even when the machine is busy.
        var settings = Fast with { ProcessingTimeout = TimeSpan.FromSeconds(5) };
        var calls = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<string, int, CancellationToken, Task<MessageDisposition>> handler = async (_, _, ct) =>
        {
            Interlocked.Increment(ref calls);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(25), ct);
            return MessageDisposition.Complete;
        };
        using var first = Listener(queue, handler, settings);
        using var second = Listener(queue, handler, settings);
        await first.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => Volatile.Read(ref calls) == 1, Deadline, "the first delivery");
        await second.StartAsync(CancellationToken.None);

        // Past twice the 5 s processing timeout: without renewal the message would reappear and run again.
        var holdUntil = DateTime.UtcNow + TimeSpan.FromSeconds(11);
        await Poll.UntilAsync(() => DateTime.UtcNow >= holdUntil || Volatile.Read(ref calls) > 1, TimeSpan.FromSeconds(14), "the hold period");
        Assert.Equal(1, Volatile.Read(ref calls));
        release.SetResult();
        await Poll.UntilAsync(() => CountAsync(queue), c => c == 0, Deadline, "the message to be deleted");
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task A_Handler_That_Finishes_During_A_Slow_Renewal_Still_Deletes_Its_Message()
    {
        // Renewal answers arrive 1.5 s late, and the handler finishes as soon as the first renewal (at half the 4 s
        // invisibility) has been sent, so it finishes while that request is in flight. If the request were abandoned,
        // its new pop receipt would be lost and the delete would fail: the message would stay in the queue (the count
        // includes invisible messages) and come back to run again. The server extends the invisibility as soon as it
        // receives the renewal, so no margin of time is needed.
        var renewalSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new StorageQueueClientOptions();
        options.AddPolicy(new SlowUpdatePolicy(TimeSpan.FromMilliseconds(1500), renewalSent), HttpPipelinePosition.PerCall);
        var queue = new StorageQueueClient(StorageConnection.Parse(azurite.ConnectionString), AzuriteFixture.UniqueName("listener"), options);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("renewed-then-done");
        var calls = 0;
        using var listener = Listener(queue, async (_, _, _) =>
        {
            Interlocked.Increment(ref calls);
            await renewalSent.Task.WaitAsync(Deadline, CancellationToken.None);
            return MessageDisposition.Complete;
        }, Fast with { ProcessingTimeout = TimeSpan.FromSeconds(4) });
        await listener.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => CountAsync(queue), c => c == 0 && listener.Processed >= 1, Deadline, "the message to be settled and deleted");
        await listener.StopAsync(CancellationToken.None);
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal(0, await CountAsync(queue));
    }

    [Fact]
    public async Task StopAsync_Waits_For_In_Flight_Work_Within_The_Grace_Period()
    {
        var queue = await QueueAsync();
        await queue.SendMessageAsync("finish-me");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        using var listener = new QueueListener(queue, async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromMilliseconds(700), CancellationToken.None);
            cancelled = ct.IsCancellationRequested;
            return MessageDisposition.Complete;
        }, Fast, NullLogger.Instance)
        {
            ShutdownGrace = TimeSpan.FromSeconds(10),
        };
        await listener.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(Deadline);
        await listener.StopAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.False(cancelled);
        Assert.Equal(1, listener.Processed);
        Assert.Equal(0, await CountAsync(queue));
    }

    [Fact]
    public async Task Past_The_Grace_Period_In_Flight_Work_Is_Cancelled_And_The_Message_Released_At_Once()
    {
        var queue = await QueueAsync();
        await queue.SendMessageAsync("stuck");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawCancellation = false;

        // A 60 s retry delay: if the message were released with it, it could not be received right after the stop.
        using var listener = new QueueListener(queue, async (_, _, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                sawCancellation = true;
                throw;
            }

            return MessageDisposition.Complete;
        }, Fast with { VisibilityTimeout = TimeSpan.FromSeconds(60) }, NullLogger.Instance)
        {
            ShutdownGrace = TimeSpan.FromSeconds(1),
        };
        await listener.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(Deadline);
        await listener.StopAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.True(sawCancellation);

        var again = await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30));
        var message = Assert.Single(again);
        Assert.Equal("stuck", message.Text);
        Assert.Equal(2, message.DequeueCount);
    }

    [Fact]
    public async Task Two_Listeners_On_One_Queue_Handle_Every_Message_Exactly_Once()
    {
        var queue = await QueueAsync();
        const int Count = 24;
        for (var i = 0; i < Count; i++)
        {
            await queue.SendMessageAsync($"message-{i}");
        }

        var handled = new ConcurrentBag<(string Text, int Listener)>();
        Func<string, int, CancellationToken, Task<MessageDisposition>> Handler(int listener) => async (text, _, _) =>
        {
            handled.Add((text, listener));
            await Task.Delay(50, CancellationToken.None);
            return MessageDisposition.Complete;
        };
        using var first = Listener(queue, Handler(1));
        using var second = Listener(queue, Handler(2));
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => CountAsync(queue), c => c == 0 && handled.Count >= Count, Deadline, "every message to be handled");
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);
        Assert.Equal(Count, handled.Count);
        Assert.Equal(Count, handled.Select(h => h.Text).Distinct().Count());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>
    /// Delays the answers of Update Message (PUT /messages/{id}), as a slow network would, and reports when the first
    /// one is sent.
    /// </summary>
    private sealed class SlowUpdatePolicy(TimeSpan delay, TaskCompletionSource sent) : HttpPipelinePolicy
    {
        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var update = message.Request.Method == RequestMethod.Put && message.Request.Uri.ToUri().AbsolutePath.Contains("/messages/", StringComparison.Ordinal);
            if (update)
            {
                sent.TrySetResult();
            }

            await ProcessNextAsync(message, pipeline);
            if (update)
            {
                await Task.Delay(delay, message.CancellationToken);
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);
    }

    /// <summary>Counts Get Messages calls (GET on /messages without peekonly).</summary>
    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private int _receives;

        public int Receives => Volatile.Read(ref _receives);

        public override void OnSendingRequest(HttpMessage message)
        {
            var uri = message.Request.Uri.ToUri();
            if (message.Request.Method == RequestMethod.Get && uri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal) && !uri.Query.Contains("peekonly", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _receives);
            }
        }
    }
}
