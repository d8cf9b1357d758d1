using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Git.Webhooks;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The fan-out step of a push, off the webhook's HTTP path: reads <c>gitops.yaml</c> at the tip of the repository's
/// default branch (never at the pushed commit, which anyone with push access to any branch can write), matches the
/// environments that follow the pushed branch and whose folder (or a root config file) changed, and enqueues one job
/// each, at most once per environment and commit while one waits (<see cref="JobScheduler"/>).
/// </summary>
/// <param name="settings">The watched repositories.</param>
/// <param name="source">The config repositories.</param>
/// <param name="scheduler">Enqueues the environments' jobs once.</param>
/// <param name="logger">Log.</param>
/// <param name="timeProvider">Clock.</param>
public sealed class PushFanOutHandler(
    GitOpsSettings settings,
    IConfigSource source,
    JobScheduler scheduler,
    ILogger<PushFanOutHandler> logger,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Fans one push out; returns the environments enqueued and what the queue must do with the message.</summary>
    /// <param name="push">The push.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public async Task<(MessageDisposition Disposition, IReadOnlyList<string> Enqueued)> RunAsync(PushJob push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(push);
        if (!settings.Repositories.Any(r => string.Equals(r.Name, push.Repository, StringComparison.Ordinal)))
        {
            logger.LogError("Push job {JobId} names repository '{Repository}', which is not configured; dropped.", push.JobId, push.Repository);
            return (MessageDisposition.Complete, []);
        }

        IReadOnlyList<EnvironmentDefinition> environments;
        try
        {
            var (definitions, config) = await new EnvironmentCatalog(source).ReadAsync(push.Repository, cancellationToken).ConfigureAwait(false);
            if (config.HasErrors)
            {
                logger.LogError(
                    "Push {Commit} to {Repository}/{Branch}: gitops.yaml on the default branch ({Definitions}) is invalid, so no environment was matched; run 'gitops validate' on it.",
                    push.After, push.Repository, push.Branch, definitions.ShortSha);
                return (MessageDisposition.Complete, []);
            }

            environments = WebhookEnvironmentMatcher.Match(AsEvent(push), config.Environments);
        }
        catch (ConfigSourceException error)
        {
            // Retried whatever the cause: a push is never dropped quietly; one that keeps failing ends in the poison
            // queue, where it is logged for a person.
            logger.LogWarning("Push {Commit} to {Repository}: reading gitops.yaml on the default branch failed ({Reason}); the queue retries it.", push.After, push.Repository, error.Message);
            return (MessageDisposition.Retry, []);
        }

        var enqueued = new List<string>();
        foreach (var environment in environments)
        {
            var job = ReconcileJob.Create(push.Repository, environment.Name, RunTrigger.Push, push.After, _time.GetUtcNow(), push.Pusher, push.DeliveryId);
            if (await scheduler.EnqueueOnceAsync(job, cancellationToken).ConfigureAwait(false))
            {
                enqueued.Add(environment.Name);
            }
        }

        logger.LogInformation(
            "Push {Commit} to {Repository}/{Branch}: {Count} job(s) enqueued ({Environments}).",
            push.After, push.Repository, push.Branch, enqueued.Count, string.Join(", ", enqueued));
        return (MessageDisposition.Complete, enqueued);
    }

    private static WebhookEvent AsEvent(PushJob push) => new()
    {
        Provider = WebhookProviderNames.TryParse(push.Provider, out var provider) ? provider : WebhookProvider.GitHub,
        Authentic = true,
        IsPush = true,
        Branch = push.Branch,
        Ref = "refs/heads/" + push.Branch,
        Tag = false,
        Deleted = false,
        Before = push.Before,
        After = push.After,
        ChangedPaths = push.ChangedPaths,
        ChangedPathsTruncated = push.ChangedPathsTruncated,
    };
}
