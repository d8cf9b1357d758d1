using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Hosting.Alerts;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The <c>poison</c> function: a job that failed on every delivery is recorded as a failed run, so the give-up is
/// visible in the run history and the environment's conditions (and the configured alert sinks), not only in a queue.
/// </summary>
/// <param name="runs">Run records.</param>
/// <param name="states">Environment state.</param>
/// <param name="logger">Log.</param>
/// <param name="timeProvider">Clock.</param>
/// <param name="alerts">Sends the <c>JobPoisoned</c> alert; null when no sink is configured.</param>
public sealed class PoisonJobHandler(IRunStore runs, IEnvironmentStateStore states, ILogger<PoisonJobHandler> logger, TimeProvider? timeProvider = null, AlertNotifier? alerts = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// The reconcile queue's <c>maxDequeueCount</c>: how many deliveries a poisoned job had. The poison message itself
    /// is a new message (its own dequeue count starts again at 1), so the count cannot be read from it.
    /// </summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>Records one poisoned message. Returns the run written, or null for a message that is not a job.</summary>
    /// <param name="message">The poison message's text (the job JSON, or Base64 of it).</param>
    /// <param name="dequeueCount">Which delivery of the poison message this is (not of the original job).</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public async Task<RunRecord?> RunAsync(string message, int dequeueCount, CancellationToken cancellationToken = default)
    {
        _ = dequeueCount;
        var deliveries = MaxDequeueCount;
        ReconcileJob job;
        try
        {
            if (PushJobJson.TryParse(message) is { } push)
            {
                // No environment is known yet for a push that could not be fanned out: it stays for a person, and a
                // later push or the drift timer reconciles the branch tip anyway.
                logger.LogError(
                    "Push job {JobId} ({Repository}/{Branch} at {Commit}) failed on every delivery and stays in the poison queue; run 'gitops sync' for its environments once the cause is fixed.",
                    push.JobId, push.Repository, push.Branch, push.After);
                return null;
            }

            if (Core.Previews.PreviewJobJson.TryParsePullRequest(message) is { } pullRequest)
            {
                logger.LogError("Pull-request job {JobId} (#{Number} of {Repository} at {Head}) failed on every delivery and stays in the poison queue; the next push to the pull request previews it again.", pullRequest.JobId, pullRequest.PullRequest.Number, pullRequest.Repository, pullRequest.PullRequest.HeadSha);
                return null;
            }

            if (Core.Previews.PreviewJobJson.TryParsePreview(message) is { } preview)
            {
                // A preview changes nothing, so its failure changes no environment state: it stays for a person.
                logger.LogError("Preview job {JobId} ({Environment}, #{Number} at {Head}) failed on every delivery and stays in the poison queue.", preview.JobId, preview.EnvironmentKey, preview.PullRequest.Number, preview.PullRequest.HeadSha);
                return null;
            }

            job = ReconcileJobJson.Parse(message);
        }
        catch (FormatException error)
        {
            // Nothing to attribute it to; keep it in the poison queue for a person and say why.
            logger.LogError("A message in the poison queue is not a reconcile job ({Reason}); it stays there for inspection.", error.Message);
            return null;
        }

        var now = _time.GetUtcNow();
        var run = new RunRecord
        {
            RunId = RunIds.New(now),
            Repository = job.Repository,
            Environment = job.Environment,
            Trigger = job.Trigger,
            JobId = job.JobId,
            DeliveryId = job.DeliveryId,
            RequestedBy = job.RequestedBy,
            RequestedCommit = job.Commit,
            Attempt = deliveries,
            StartedAt = now,
            FinishedAt = now,
            Outcome = RunOutcome.Failed,
            Reason = Conditions.JobPoisoned,
            Summary = $"Gave up on job {job.JobId} after {deliveries} deliveries; it was moved to the poison queue. The earlier runs of this job say why. Fix the cause, then run 'gitops sync --env {job.Environment}'.",
            Errors = ["The job failed on every delivery and was poisoned."],
        };
        await runs.SaveAsync(run, cancellationToken).ConfigureAwait(false);

        try
        {
            // The shared merge loop: a lost race re-reads and merges; a run's claim (ActiveRun) is kept as it is.
            await states.UpdateAsync(job.Repository, job.Environment, current => EnvironmentStateUpdate.After(current, run, applied: null), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException error)
        {
            // Said, never swallowed: the run record exists, but the environment's conditions do not show the give-up.
            logger.LogError("Job {JobId} for {Environment}: the poisoned run {RunId} is recorded, but the environment state could not be updated ({Reason}).", job.JobId, job.EnvironmentKey, run.RunId, error.Message);
        }

        logger.LogError("Job {JobId} for {Environment} was poisoned after {Deliveries} deliveries; recorded as run {RunId}.", job.JobId, job.EnvironmentKey, deliveries, run.RunId);
        return alerts is null ? run : await alerts.AfterPoisonAsync(run, cancellationToken).ConfigureAwait(false);
    }
}
