using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Reconcile;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The fan-out step of a pull-request event, off the webhook's HTTP path: fetches the head through the host's
/// pull-request ref of the configured repository (a fork is never contacted), reads <c>gitops.yaml</c> at the tip of
/// the default branch, and matches the environments that follow the pull request's target branch and whose folder,
/// <c>gitops.yaml</c> or <c>gitops.policy.yaml</c> the pull request changes (against the merge base with the target
/// branch). It records the head, posts the comment with every environment pending and a pending status each, and
/// enqueues one <see cref="PreviewJob"/> per environment.
/// </summary>
/// <param name="settings">The watched repositories.</param>
/// <param name="source">The config repositories.</param>
/// <param name="pullRequests">Fetches pull-request heads.</param>
/// <param name="queue">Enqueues the previews.</param>
/// <param name="previews">Records the head.</param>
/// <param name="publishers">Publishes on the pull request; a repository without a token publishes nothing.</param>
/// <param name="logger">Log.</param>
/// <param name="timeProvider">Clock.</param>
public sealed class PullRequestFanOutHandler(
    GitOpsSettings settings,
    IConfigSource source,
    IPullRequestSource pullRequests,
    IPreviewQueue queue,
    IPreviewStore previews,
    PullRequestPublishers publishers,
    ILogger<PullRequestFanOutHandler> logger,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Fans one pull-request event out; returns the environments enqueued and what the queue must do with the message.</summary>
    public async Task<(MessageDisposition Disposition, IReadOnlyList<string> Enqueued)> RunAsync(PullRequestJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var pr = job.PullRequest;
        if (settings.FindRepository(job.Repository) is null)
        {
            logger.LogError("Pull-request job {JobId} names repository '{Repository}', which is not configured; dropped.", job.JobId, job.Repository);
            return (MessageDisposition.Complete, []);
        }

        PreviewHead head;
        try
        {
            var fetched = await pullRequests.FetchHeadAsync(job.Repository, pr, cancellationToken).ConfigureAwait(false);
            if (fetched is null)
            {
                logger.LogInformation("Pull request #{Number} of {Repository} no longer has head {Head}; nothing to preview.", pr.Number, job.Repository, pr.HeadSha);
                return (MessageDisposition.Complete, []);
            }

            var (tip, config) = await new EnvironmentCatalog(source).ReadAsync(job.Repository, cancellationToken).ConfigureAwait(false);
            if (config.HasErrors)
            {
                logger.LogError("Pull request #{Number} of {Repository}: gitops.yaml on the default branch ({Definitions}) is invalid, so no environment was matched.", pr.Number, job.Repository, tip.ShortSha);
                return (MessageDisposition.Complete, []);
            }

            var onTarget = config.Environments.Where(e => string.Equals(e.Branch, pr.TargetBranch, StringComparison.Ordinal)).ToList();
            IReadOnlyList<string> affected = [];
            if (onTarget.Count > 0)
            {
                var target = string.Equals(pr.TargetBranch, source.GetDefaultBranch(job.Repository), StringComparison.Ordinal)
                    ? tip
                    : await source.ResolveAsync(job.Repository, pr.TargetBranch, commit: null, cancellationToken).ConfigureAwait(false);
                var changed = await pullRequests.ChangedPathsAsync(job.Repository, target.Sha, pr.HeadSha, cancellationToken).ConfigureAwait(false);
                var rootChanged = changed.Any(p => ManifestLoader.ConfigurationFileNames.Contains(p, StringComparer.Ordinal));
                affected = onTarget.Where(e => rootChanged || changed.Any(p => IsUnder(p, e.Path))).Select(e => e.Name).ToList();
            }

            head = new PreviewHead { Repository = job.Repository, PullRequest = pr, Environments = affected, DefinitionsSha = tip.Sha, At = _time.GetUtcNow() };
            await previews.SaveHeadAsync(head, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigSourceException error)
        {
            logger.LogWarning("Pull request #{Number} of {Repository}: reading git failed ({Reason}); the queue retries it.", pr.Number, job.Repository, error.Message);
            return (MessageDisposition.Retry, []);
        }

        await PublishPendingAsync(head, cancellationToken).ConfigureAwait(false);
        foreach (var environment in head.Environments)
        {
            await queue.EnqueueAsync(
                new PreviewJob
                {
                    JobId = Guid.NewGuid().ToString("N"),
                    Repository = job.Repository,
                    Environment = environment,
                    PullRequest = pr,
                    Environments = head.Environments,
                    DeliveryId = job.DeliveryId,
                    EnqueuedAt = _time.GetUtcNow(),
                },
                cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Pull request #{Number} of {Repository} at {Head}: {Count} preview(s) enqueued ({Environments}).", pr.Number, job.Repository, pr.HeadSha, head.Environments.Count, string.Join(", ", head.Environments));
        return (MessageDisposition.Complete, head.Environments);
    }

    // Publishing is best effort: a host that is down must not stop the previews, which are recorded either way.
    private async Task PublishPendingAsync(PreviewHead head, CancellationToken cancellationToken)
    {
        if (publishers.For(head.Repository, head.PullRequest.Provider) is not { } publisher)
        {
            return;
        }

        try
        {
            var comment = PreviewMarkdown.Comment(head, new Dictionary<string, string>(), source.GetDefaultBranch(head.Repository));
            await publisher.UpsertCommentAsync(head.PullRequest, comment, cancellationToken).ConfigureAwait(false);
            foreach (var environment in head.Environments)
            {
                await publisher.SetStatusAsync(head.PullRequest, environment, PreviewStatusState.Pending, "Previewing the plan of this head…", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PullRequestPublishException error)
        {
            logger.LogWarning("Pull request #{Number} of {Repository}: publishing the pending preview failed: {Reason}", head.PullRequest.Number, head.Repository, error.Message);
        }
    }

    private static bool IsUnder(string path, string folder)
    {
        var normalized = folder.Trim('/');
        return normalized.Length == 0
            || string.Equals(path, normalized, StringComparison.Ordinal)
            || (path.Length > normalized.Length && path[normalized.Length] == '/' && path.StartsWith(normalized, StringComparison.Ordinal));
    }
}
