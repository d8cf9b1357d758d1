using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using Microsoft.Extensions.Time.Testing;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>
/// The one record write reconcile runs and previews share: storage that fails for a while does not lose the record;
/// a record that is itself wrong, or a cancelled run, is not retried.
/// </summary>
public sealed class RecordWritesTests
{
    private static readonly ReconcilerOptions Options = ReconcilerOptions.Default with { RecordWriteAttempts = 4, RecordRetryDelay = TimeSpan.FromSeconds(1) };

    private static RunRecord Run() => new()
    {
        RunId = "run-1",
        Repository = "platform",
        Environment = "prod",
        Trigger = RunTrigger.Preview,
        StartedAt = DateTimeOffset.Parse("2026-12-02T08:00:00Z"),
    };

    [Fact]
    public async Task Storage_That_Fails_Three_Times_Gets_The_Record_On_The_Fourth_With_Growing_Pauses()
    {
        var runs = new InMemoryRunStore();
        var attempts = 0;
        runs.Fail = _ => Interlocked.Increment(ref attempts) <= 3 ? new IOException("503 Server Busy") : null;
        var time = new TimerCountingTimeProvider();

        var saving = RecordWrites.SaveAsync(runs, Run(), Options, time, CancellationToken.None);
        foreach (var pause in new[] { 1, 2, 3 })
        {
            // The pause after attempt n is n seconds: a hair less does not bring the next attempt. The clock moves only
            // once the pause's timer exists; moved before, the pause would start from the moved clock.
            await UntilAsync(() => Volatile.Read(ref attempts) == pause && time.TimersCreated == pause);
            time.Advance(TimeSpan.FromSeconds(pause) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(pause, Volatile.Read(ref attempts));
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await saving.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("run-1", Assert.Single(runs.Saved).RunId);
    }

    [Fact]
    public async Task Storage_That_Keeps_Failing_Surfaces_The_Last_Failure_After_The_Attempts()
    {
        var runs = new InMemoryRunStore();
        var attempts = 0;
        runs.Fail = _ => new IOException($"503, attempt {++attempts}");
        var options = Options with { RecordRetryDelay = TimeSpan.Zero };

        var error = await Assert.ThrowsAsync<IOException>(() => RecordWrites.SaveAsync(runs, Run(), options, TimeProvider.System, CancellationToken.None));

        Assert.Equal("503, attempt 4", error.Message);
        Assert.Empty(runs.Saved);
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(OperationCanceledException))]
    public async Task A_Failure_No_Retry_Can_Change_Is_Not_Retried(Type failure)
    {
        var runs = new InMemoryRunStore();
        var attempts = 0;
        runs.Fail = _ =>
        {
            attempts++;
            return (Exception)Activator.CreateInstance(failure, "refused")!;
        };

        await Assert.ThrowsAnyAsync<Exception>(() => RecordWrites.SaveAsync(runs, Run(), Options, TimeProvider.System, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Yield();
            deadline.Token.ThrowIfCancellationRequested();
        }
    }

    private sealed class TimerCountingTimeProvider : FakeTimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }
}
