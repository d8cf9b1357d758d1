using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>The pull-request preview parts the reconcile queue handler dispatches to, and the merge's "merged as shown" check.</summary>
/// <param name="fanOut">The pull-request fan-out step.</param>
/// <param name="previews">The preview job handler.</param>
/// <param name="matcher">Finds the preview a merged commit was shown by.</param>
/// <param name="runs">Re-saves a run with its comparison.</param>
public sealed class PreviewHandlers(PullRequestFanOutHandler fanOut, PreviewJobHandler previews, PreviewMatcher matcher, IRunStore runs)
{
    /// <summary>The fan-out step.</summary>
    public PullRequestFanOutHandler FanOut { get; } = fanOut;

    /// <summary>The preview job handler.</summary>
    public PreviewJobHandler Previews { get; } = previews;

    /// <summary>
    /// For a run that planned a commit a preview saw (the merged head itself, or a merge commit's second parent): the
    /// run with its <see cref="RunRecord.Preview"/> comparison, saved again. Best effort: a failure leaves the run as it was.
    /// </summary>
    public async Task<RunRecord> CompareAsync(RunRecord run, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(logger);
        try
        {
            if (await matcher.CompareAsync(run, cancellationToken).ConfigureAwait(false) is not { } comparison)
            {
                return run;
            }

            var compared = run with { Preview = comparison, Summary = $"{run.Summary} {comparison.Summary}" };
            await runs.SaveAsync(compared, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Run {RunId} of {Environment}: {Comparison}", run.RunId, run.EnvironmentKey, comparison.Summary);
            return compared;
        }
        catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
        {
            logger.LogWarning("Run {RunId} of {Environment}: comparing with its pull request's preview failed: {Reason}", run.RunId, run.EnvironmentKey, error.Message);
            return run;
        }
    }
}
