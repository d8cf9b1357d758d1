namespace GitOps.Hosting.Tests;

/// <summary>
/// A clock the test moves by hand; timers still run on real time. Not FakeTimeProvider: the whole runtime gets this
/// clock, and its lease renewal, queue and retry waits must keep running, while FakeTimeProvider's timers fire only when
/// the test advances it.
/// </summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
