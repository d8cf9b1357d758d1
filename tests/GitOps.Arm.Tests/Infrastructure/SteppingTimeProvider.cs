using Microsoft.Extensions.Time.Testing;

namespace GitOps.Arm.Tests.Infrastructure;

/// <summary>
/// <see cref="FakeTimeProvider"/> that can also jump straight to the next pending timer. The pacing test needs that to
/// measure how long the budget really waits: FakeTimeProvider only moves by amounts the test names, and stepping it in
/// small amounts would overshoot each wait (and race the continuation that arms the next timer).
/// </summary>
internal sealed class SteppingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
{
    private readonly Lock _gate = new();
    private readonly List<DueTimer> _timers = [];

    /// <summary>Time moved since the start.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var due = new DueTimer(this);
        due.Track(dueTime, period);
        due.Inner = base.CreateTimer(s => { due.Fired(); callback(s); }, state, dueTime, period);
        return due;
    }

    /// <summary>Moves the clock to the earliest pending timer, which fires. False when no timer is pending.</summary>
    public bool AdvanceToNextTimer()
    {
        DateTimeOffset next;
        lock (_gate)
        {
            var pending = _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt!.Value).ToList();
            if (pending.Count == 0)
            {
                return false;
            }

            next = pending.Min();
        }

        var now = GetUtcNow();
        Advance(next > now ? next - now : TimeSpan.Zero);
        return true;
    }

    // Mirrors the due time of the FakeTimeProvider timer it wraps, which does not expose it.
    private sealed class DueTimer(SteppingTimeProvider owner) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? DueAt { get; private set; }

        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
                _period = period;
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }
            }
        }

        public void Fired()
        {
            lock (owner._gate)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Track(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
