using System.Text.Json.Nodes;
using GitOps.Core.Ports;
using GitOps.Core.Previews;
using GitOps.Core.Runs;
using GitOps.Git.Webhooks;
using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The <c>webhook</c> function: verifies a delivery over its raw bytes with the secret of the repository it names,
/// refuses replays (by delivery id and by signed content), and enqueues one <see cref="PushJob"/> for the queued
/// fan-out step (<see cref="PushFanOutHandler"/>), which reads <c>gitops.yaml</c> on the default branch and enqueues
/// the environments' jobs. No git work happens here, so the answer comes within a second whatever the push's size.
/// Nothing is enqueued for an unauthentic delivery.
/// </summary>
public sealed class WebhookHandler(
    GitOpsSettings settings,
    IJobQueue queue,
    IDeliveryLedger deliveries,
    ILogger<WebhookHandler> logger,
    TimeProvider? timeProvider = null,
    IPreviewQueue? previews = null)
{
    /// <summary>The largest body accepted.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Answers one delivery as either host received it (the body read within <see cref="MaxBodyBytes"/>).</summary>
    /// <param name="call">The request.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public async Task<HttpAnswer> HandleAsync(HttpCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var response = call.Body is null
            ? Answer(413, "too large", $"The body exceeds {MaxBodyBytes} bytes.")
            : await RunAsync(call.Headers, call.Body, cancellationToken).ConfigureAwait(false);
        return HttpAnswer.Json(response.StatusCode, response.Body);
    }

    /// <summary>Handles one delivery.</summary>
    /// <param name="headers">The request headers (names compared case-insensitively).</param>
    /// <param name="body">The raw body, byte for byte.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public async Task<WebhookResponse> RunAsync(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        if (body.Length > MaxBodyBytes)
        {
            return Answer(413, "too large", $"The body is {body.Length} bytes; the limit is {MaxBodyBytes}.");
        }

        // Parse without secrets first, only to learn which repository the delivery claims to be about; its own
        // secret then decides authenticity, so one repository's secret never vouches for another's pushes.
        var unverified = new WebhookInspector(new WebhookReceiverOptions { MaxBodyBytes = MaxBodyBytes }).Inspect(headers, body.Span);
        if (unverified.Event is null)
        {
            // Say what is wrong with the body: this first pass checks no secret, so its authentication verdict means nothing.
            return Answer(unverified.StatusCode == 413 ? 413 : 400, "malformed", unverified.BodyError ?? unverified.Message);
        }

        // A pull-request event names its target repository in its own fields (the push fields stay empty).
        var claimed = unverified.Event.PullRequest is { } claimedPr
            ? unverified.Event with { RepoFullName = claimedPr.RepoFullName, CloneUrls = claimedPr.CloneUrls }
            : unverified.Event;
        var repository = RepositoryMatcher.Match(claimed, settings.Repositories);
        if (repository is null && !unverified.Event.IsPush)
        {
            // Other events (ping, pull requests, branch create) carry no repository the parser reads, yet hosts mark
            // a hook failing when they get 401: accept them as ignored if any watched repository's secret verifies.
            return await IgnoreIfAuthenticAsync(headers, body, cancellationToken).ConfigureAwait(false);
        }

        if (repository is null)
        {
            logger.LogWarning("Webhook for {Repository} refused: no watched repository matches it.", unverified.Event.RepoFullName);
            return Answer(401, "unauthorized", $"No watched repository matches '{unverified.Event.RepoFullName}', so the delivery cannot be authenticated.");
        }

        var receiver = new WebhookReceiver(ReceiverOptions(repository), deliveries);
        var result = await receiver.ReceiveAsync(headers, body, cancellationToken: cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case WebhookOutcome.Unauthorized or WebhookOutcome.UnknownProvider:
                logger.LogWarning("Webhook for {Repository} refused: {Reason}", repository.Name, result.Message);
                return Answer(401, "unauthorized", result.Message);
            case WebhookOutcome.Malformed:
                return Answer(400, "malformed", result.Message);
            case WebhookOutcome.TooLarge:
                return Answer(413, "too large", result.Message);
            case WebhookOutcome.Duplicate:
                return Answer(200, "duplicate", $"Delivery {result.Event?.DeliveryId} was already processed.");
            case WebhookOutcome.Ignored:
                return Answer(200, "ignored", result.Message);
        }

        var push = result.Event!;
        try
        {
            if (push.PullRequest is { } pullRequest)
            {
                return await EnqueuePullRequestAsync(repository, push, pullRequest, cancellationToken).ConfigureAwait(false);
            }

            return await EnqueueAsync(repository, push, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The git host gave up waiting and will redeliver: forget the delivery so that the retry counts.
            await ForgetAsync(result).ConfigureAwait(false);
            throw;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Let the git host redeliver: forget the delivery so the retry is not taken for a replay.
            await ForgetAsync(result).ConfigureAwait(false);
            logger.LogError("Webhook for {Repository} at {Commit} could not be queued: {Reason}", repository.Name, push.After, error.Message);
            return Answer(503, "retry", "Could not queue the push now (storage unavailable); the git host's retry will be processed.");
        }
    }

    /// <summary>Forgets a recorded delivery (its id and its signed content) under the names the receiver recorded them with.</summary>
    private async Task ForgetAsync(WebhookResult result)
    {
        var push = result.Event!;
        if (push.DeliveryId is { Length: > 0 } id)
        {
            await deliveries.ForgetAsync(push.Provider.ToWireName(), id, CancellationToken.None).ConfigureAwait(false);
        }

        if (result.ReplayKey is { } key)
        {
            await deliveries.ForgetAsync(WebhookReplayKey.LogName(push.Provider), key, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<WebhookResponse> IgnoreIfAuthenticAsync(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        foreach (var candidate in settings.Repositories)
        {
            // A throwaway log: nothing is enqueued for these events, so there is no replay to guard against.
            var result = await new WebhookReceiver(ReceiverOptions(candidate), new InMemoryDeliveryLog())
                .ReceiveAsync(headers, body, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.Outcome is not (WebhookOutcome.Unauthorized or WebhookOutcome.UnknownProvider))
            {
                return Answer(200, "ignored", result.Message);
            }
        }

        logger.LogWarning("A non-push webhook was refused: no watched repository's secret verifies it.");
        return Answer(401, "unauthorized", "No watched repository's secret verifies this delivery.");
    }

    private async Task<WebhookResponse> EnqueueAsync(RepositorySettings repository, WebhookEvent push, CancellationToken cancellationToken)
    {
        if (push.Deleted == true || push.Tag == true || push.Branch is null || push.After is null)
        {
            return Answer(200, "ignored", push.Deleted == true ? $"{push.Ref} was deleted; nothing to reconcile." : $"{push.Ref} is not a branch; environments follow branches.");
        }

        var job = new PushJob
        {
            JobId = Guid.NewGuid().ToString("N"),
            Provider = push.Provider.ToWireName(),
            Repository = repository.Name,
            Branch = push.Branch,
            Before = push.Before,
            After = push.After.ToLowerInvariant(),
            ChangedPaths = push.ChangedPaths is { Count: <= PushJob.MaxChangedPaths } paths ? paths : null,
            ChangedPathsTruncated = push.ChangedPathsTruncated,
            DeliveryId = push.DeliveryId,
            Pusher = push.Pusher,
            EnqueuedAt = _time.GetUtcNow(),
        };
        await queue.EnqueueAsync(job, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Push {Commit} to {Repository}/{Branch} accepted as job {JobId}.", job.After, repository.Name, push.Branch, job.JobId);
        return new WebhookResponse(202, new JsonObject
        {
            ["status"] = "accepted",
            ["repository"] = repository.Name,
            ["branch"] = push.Branch,
            ["commit"] = job.After,
            ["deliveryId"] = push.DeliveryId,
            ["jobId"] = job.JobId,
            ["message"] = "Queued: the environments on this branch are matched against gitops.yaml on the default branch, then reconciled. See /api/runs.",
        });
    }

    private async Task<WebhookResponse> EnqueuePullRequestAsync(RepositorySettings repository, WebhookEvent delivery, WebhookPullRequest pullRequest, CancellationToken cancellationToken)
    {
        if (previews is null)
        {
            return Answer(200, "ignored", $"Pull request #{pullRequest.Number}: previews are not enabled on this host.");
        }

        var job = new PullRequestJob
        {
            JobId = Guid.NewGuid().ToString("N"),
            Repository = repository.Name,
            PullRequest = new PullRequestRef
            {
                Provider = delivery.Provider.ToWireName(),
                Number = pullRequest.Number,
                HeadSha = pullRequest.HeadSha!.ToLowerInvariant(),
                TargetBranch = pullRequest.TargetBranch!,
                SourceBranch = pullRequest.SourceBranch,
                FromFork = pullRequest.FromFork,
                Author = pullRequest.Author,
                Title = pullRequest.Title,
            },
            DeliveryId = delivery.DeliveryId,
            EnqueuedAt = _time.GetUtcNow(),
        };
        await previews.EnqueueAsync(job, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Pull request #{Number} of {Repository} at {Head} accepted as job {JobId}.", pullRequest.Number, repository.Name, job.PullRequest.HeadSha, job.JobId);
        return new WebhookResponse(202, new JsonObject
        {
            ["status"] = "accepted",
            ["repository"] = repository.Name,
            ["pullRequest"] = pullRequest.Number,
            ["commit"] = job.PullRequest.HeadSha,
            ["deliveryId"] = delivery.DeliveryId,
            ["jobId"] = job.JobId,
            ["message"] = "Queued: the head is fetched through the pull request's ref, the environments it touches are matched against gitops.yaml on the default branch, then previewed (nothing is applied).",
        });
    }

    private static WebhookReceiverOptions ReceiverOptions(RepositorySettings repository)
    {
        var options = new WebhookReceiverOptions { MaxBodyBytes = MaxBodyBytes };
        if (repository.WebhookSecret is { } secret)
        {
            options.GitHubSecrets.Add(secret);
            options.GiteaSecrets.Add(secret);
            options.BitbucketSecrets.Add(secret);
            options.GitLabTokens.Add(secret);
            options.AzureDevOpsCredentials.Add(new AzureDevOpsWebhookCredential { Username = repository.WebhookUser, Password = secret });
        }

        if (repository.WebhookSigningToken is { } signing)
        {
            options.GitLabSigningTokens.Add(signing);
        }

        return options;
    }

    private static WebhookResponse Answer(int status, string outcome, string message) =>
        new(status, new JsonObject { ["status"] = outcome, ["message"] = message });
}
