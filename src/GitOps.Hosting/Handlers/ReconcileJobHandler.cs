using GitOps.Core.Reconcile;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using GitOps.Hosting.Alerts;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The <c>reconcile</c> function: one queue message → one recorded reconcile. Under the Functions host a
/// <see cref="MessageDisposition.Retry"/> or <see cref="MessageDisposition.Poison"/> becomes a non-2xx answer so the
/// host retries (and poisons past <c>maxDequeueCount</c>); in <c>gitops serve</c> the listener acts on it directly.
/// </summary>
/// <param name="reconciler">The engine.</param>
/// <param name="logger">Structured log (never secrets: run records carry the detail).</param>
/// <param name="states">Environment state, read before a run so alerts fire on transitions (needed with <paramref name="alerts"/>).</param>
/// <param name="alerts">Sends alerts after each recorded run; null when no sink is configured.</param>
/// <param name="fanOut">Handles push jobs (the webhook's fan-out step) that share the queue; null refuses them to the poison queue.</param>
/// <param name="previews">The pull-request kinds sharing the queue (fan-out, preview) and the merge's comparison with its preview; null refuses the kinds to the poison queue.</param>
/// <param name="events">Runs event-driven drift jobs (scope <c>events</c>) against the environment's inbox; null runs them over the whole environment.</param>
public sealed class ReconcileJobHandler(
    Reconciler reconciler,
    ILogger<ReconcileJobHandler> logger,
    IEnvironmentStateStore? states = null,
    AlertNotifier? alerts = null,
    PushFanOutHandler? fanOut = null,
    PreviewHandlers? previews = null,
    EventDriftRunner? events = null)
{
    /// <summary>Runs one message.</summary>
    /// <param name="message">The message text: JSON, or Base64 of it.</param>
    /// <param name="dequeueCount">Which delivery this is (1 = first).</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public async Task<(MessageDisposition Disposition, RunRecord? Run)> RunAsync(string message, int dequeueCount, CancellationToken cancellationToken = default)
    {
        ReconcileJob job;
        try
        {
            if (PushJobJson.TryParse(message) is { } push)
            {
                if (fanOut is null)
                {
                    logger.LogError("Push job {JobId} arrived where no fan-out step is configured; sent to the poison queue.", push.JobId);
                    return (MessageDisposition.Poison, null);
                }

                return ((await fanOut.RunAsync(push, cancellationToken).ConfigureAwait(false)).Disposition, null);
            }

            if (PreviewJobJson.TryParsePullRequest(message) is { } pullRequest)
            {
                if (previews is null)
                {
                    logger.LogError("Pull-request job {JobId} arrived where previews are not configured; sent to the poison queue.", pullRequest.JobId);
                    return (MessageDisposition.Poison, null);
                }

                return ((await previews.FanOut.RunAsync(pullRequest, cancellationToken).ConfigureAwait(false)).Disposition, null);
            }

            if (PreviewJobJson.TryParsePreview(message) is { } preview)
            {
                if (previews is null)
                {
                    logger.LogError("Preview job {JobId} arrived where previews are not configured; sent to the poison queue.", preview.JobId);
                    return (MessageDisposition.Poison, null);
                }

                var (disposition, run) = await previews.Previews.RunAsync(preview, Math.Max(1, dequeueCount), cancellationToken).ConfigureAwait(false);
                return (disposition, run);
            }

            job = ReconcileJobJson.Parse(message);
        }
        catch (FormatException error)
        {
            logger.LogError("A reconcile message is not a job and was sent to the poison queue: {Reason}", error.Message);
            return (MessageDisposition.Poison, null);
        }

        using var logScope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["environment"] = job.EnvironmentKey,
            ["jobId"] = job.JobId,
            ["trigger"] = job.Trigger,
        });
        if (job.Scope == JobScope.Events && events is not null)
        {
            return await events.RunAsync(job, (scope, ct) => RunJobAsync(job, dequeueCount, scope, ct), cancellationToken).ConfigureAwait(false);
        }

        var ran = await RunJobAsync(job, dequeueCount, scope: null, cancellationToken).ConfigureAwait(false);
        return (ran.Disposition, ran.Run);
    }

    private async Task<EventDriftRunner.Ran> RunJobAsync(ReconcileJob job, int dequeueCount, RunScope? scope, CancellationToken cancellationToken)
    {
        var previous = await PreviousStateAsync(job, cancellationToken).ConfigureAwait(false);
        var result = await reconciler.ReconcileAsync(job, Math.Max(1, dequeueCount), scope, cancellationToken).ConfigureAwait(false);
        if (result.Run is not null && result.Disposition is not (JobDisposition.Deferred or JobDisposition.Continued) && result.Run.Outcome != RunOutcome.Running && alerts is not null)
        {
            result = result with { Run = await alerts.AfterRunAsync(previous ?? EnvironmentState.New(job.Repository, job.Environment), result.Run, cancellationToken).ConfigureAwait(false) };
        }

        if (previews is not null && result.Run is { } finished && result.Disposition is not (JobDisposition.Deferred or JobDisposition.Continued))
        {
            result = result with { Run = await previews.CompareAsync(finished, logger, cancellationToken).ConfigureAwait(false) };
        }

        switch (result.Disposition)
        {
            case JobDisposition.Deferred when result.Run is { } deferred:
                // A closed sync window: the run recorded why, and the job was re-enqueued to the window's opening.
                logger.LogInformation("Run {RunId} of {Environment} was deferred: {Summary}", deferred.RunId, job.EnvironmentKey, deferred.Summary);
                return new(MessageDisposition.Complete, deferred, Requeued: true);
            case JobDisposition.Deferred:
                logger.LogInformation("Environment {Environment} is busy; job {JobId} waits for the running reconcile.", job.EnvironmentKey, job.JobId);
                return new(MessageDisposition.Complete, null, Requeued: true);
            case JobDisposition.Continued:
                // The run spent its time budget: it checkpointed and queued the follow-up job that continues it.
                logger.LogInformation("Run {RunId} of {Environment} continues in a follow-up job: {Summary}", result.Run!.RunId, job.EnvironmentKey, result.Run.Summary);
                return new(MessageDisposition.Complete, result.Run, Requeued: true);
            case JobDisposition.Complete when result.Run is null:
                logger.LogInformation("Job {JobId} continues a segment of {Environment}'s run that already ran (a stale or duplicate follow-up); nothing to do.", job.JobId, job.EnvironmentKey);
                return new(MessageDisposition.Complete, null, Requeued: false);
            case JobDisposition.RetryAfter:
                // The reconciler re-enqueued the job as a new message: this delivery is done, whichever host runs it.
                logger.LogWarning("Run {RunId} of {Environment} was throttled by ARM; job {JobId} runs again in {RetryAfter}.", result.Run!.RunId, job.EnvironmentKey, job.JobId, result.RetryAfter);
                return new(MessageDisposition.Complete, result.Run, Requeued: true);
            case JobDisposition.Retry when result.Run is null:
                return new(MessageDisposition.Retry, null, Requeued: false);
            case JobDisposition.Retry:
                logger.LogWarning("Run {RunId} of {Environment} failed transiently ({Summary}); delivery {Attempt} will be retried.", result.Run!.RunId, job.EnvironmentKey, result.Run.Summary, dequeueCount);
                return new(MessageDisposition.Retry, result.Run, Requeued: false);
            default:
                logger.LogInformation("Run {RunId} of {Environment}: {Outcome}. {Summary}", result.Run!.RunId, job.EnvironmentKey, result.Run.Outcome, result.Run.Summary);
                return new(MessageDisposition.Complete, result.Run, Requeued: false);
        }
    }

    private async Task<EnvironmentState?> PreviousStateAsync(ReconcileJob job, CancellationToken cancellationToken)
    {
        if (alerts is null || states is null)
        {
            return null;
        }

        try
        {
            return (await states.GetAsync(job.EnvironmentKey, cancellationToken).ConfigureAwait(false))?.State;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Alerts must never stop a reconcile: without the previous state, the rules treat the environment as new.
            logger.LogWarning("Reading the state of {Environment} for alerts failed: {Reason}", job.EnvironmentKey, error.Message);
            return null;
        }
    }
}
