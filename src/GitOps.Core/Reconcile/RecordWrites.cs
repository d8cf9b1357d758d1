using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Core.Reconcile;

/// <summary>How a run writes its record: retried while storage fails, for reconcile runs and previews alike.</summary>
internal static class RecordWrites
{
    /// <summary>
    /// True for a failure of storage (network, service, throttling), which a later attempt may not meet; false for
    /// cancellation and for errors in the record itself, which no retry changes.
    /// </summary>
    public static bool IsStorageFailure(Exception error) =>
        error is not (OperationCanceledException or OutOfMemoryException or ArgumentException or InvalidOperationException);

    /// <summary>
    /// Saves <paramref name="run"/>, trying up to <see cref="ReconcilerOptions.RecordWriteAttempts"/> times with a growing
    /// pause (<see cref="ReconcilerOptions.RecordRetryDelay"/> × attempt) while storage fails.
    /// </summary>
    /// <exception cref="Exception">The last attempt's failure, or one that is not a storage failure.</exception>
    public static async Task SaveAsync(IRunStore runs, RunRecord run, ReconcilerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await runs.SaveAsync(run, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception error) when (IsStorageFailure(error) && attempt < options.RecordWriteAttempts)
            {
                await Task.Delay(options.RecordRetryDelay * attempt, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
