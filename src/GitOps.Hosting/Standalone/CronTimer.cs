using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// <c>gitops serve</c>'s timers: run a step on an NCRONTAB schedule (with seconds, UTC), like the Functions timer
/// trigger. A failed occurrence is logged and not retried (neither does the Functions timer); the next one runs.
/// </summary>
public abstract class CronTimer(string name, string schedule, ILogger logger, TimeProvider? timeProvider = null) : BackgroundService
{
    private readonly CrontabSchedule _schedule = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private int _fired;

    /// <summary>How many times the timer has fired.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>One occurrence's work.</summary>
    /// <param name="cancellationToken">The host is stopping.</param>
    /// <returns>A task that completes when the occurrence is done.</returns>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow().UtcDateTime;
            var next = _schedule.GetNextOccurrence(now);
            try
            {
                await Task.Delay(next - now, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _fired);
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                logger.LogError(error, "The {Timer} timer failed; next occurrence {Next:u}.", name, _schedule.GetNextOccurrence(_time.GetUtcNow().UtcDateTime));
            }
        }
    }
}
