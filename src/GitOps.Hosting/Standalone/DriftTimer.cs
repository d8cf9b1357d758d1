using GitOps.Hosting.Handlers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// <c>gitops serve</c>'s timer: runs the drift function on an NCRONTAB schedule (with seconds, UTC), like the
/// Functions timer trigger. Several <c>serve</c> processes may all fire; the drift function's ETag-guarded claim
/// makes sure only one enqueues per environment.
/// </summary>
public sealed class DriftTimer(DriftScheduler drift, string schedule, ILogger<DriftTimer> logger, TimeProvider? timeProvider = null) : BackgroundService
{
    private readonly CrontabSchedule _schedule = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>How many times the timer has fired.</summary>
    public int Fired => Volatile.Read(ref _fired);

    private int _fired;

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
                var enqueued = await drift.RunAsync(stoppingToken).ConfigureAwait(false);
                if (enqueued.Count > 0)
                {
                    logger.LogInformation("Drift timer enqueued {Count} job(s): {Environments}", enqueued.Count, string.Join(", ", enqueued));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // A timer does not retry (neither does the Functions one): log and wait for the next occurrence.
                logger.LogError(error, "The drift timer failed; next occurrence {Next:u}.", _schedule.GetNextOccurrence(_time.GetUtcNow().UtcDateTime));
            }
        }
    }
}
