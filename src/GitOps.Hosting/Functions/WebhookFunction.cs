using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Git.Webhooks;
using GitOps.Hosting.Settings;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Functions;

/// <summary>
/// The <c>webhook</c> function: verifies a delivery over its raw bytes with the secret of the repository it names,
/// matches the environments on the pushed branch whose folder (or <c>gitops.yaml</c>) changed, and enqueues one job
/// each. Nothing is enqueued for an unauthentic delivery.
/// </summary>
public sealed class WebhookFunction(
    GitOpsSettings settings,
    IConfigSource source,
    IJobQueue queue,
    IDeliveryLedger deliveries,
    ILogger<WebhookFunction> logger,
    TimeProvider? timeProvider = null)
{
    /// <summary>The largest body accepted.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

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
            return Answer(unverified.StatusCode == 413 ? 413 : 400, "malformed", unverified.Message);
        }

        var repository = RepositoryMatcher.Match(unverified.Event, settings.Repositories);
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
            return await EnqueueAsync(repository, push, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The git host gave up waiting (its timeout is ~10 s) and will redeliver: forget the id so that it counts.
            await ForgetAsync(push).ConfigureAwait(false);
            throw;
        }
        catch (Exception error) when (error is ConfigSourceException or global::Azure.RequestFailedException or IOException or HttpRequestException)
        {
            // Let the git host redeliver: forget the delivery id so the retry is not taken for a replay.
            await ForgetAsync(push).ConfigureAwait(false);
            logger.LogError("Webhook for {Repository} at {Commit} could not be processed: {Reason}", repository.Name, push.After, error.Message);
            return Answer(503, "retry", $"Could not process the push now ({error.Message}); the git host's retry will be processed.");
        }
    }

    /// <summary>Forgets a recorded delivery under the same provider name the receiver recorded it with.</summary>
    private Task ForgetAsync(WebhookEvent push) =>
        push.DeliveryId is null
            ? Task.CompletedTask
            : deliveries.ForgetAsync(push.Provider.ToWireName(), push.DeliveryId, CancellationToken.None);

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

        var commit = await source.ResolveAsync(repository.Name, push.Branch, push.After, cancellationToken).ConfigureAwait(false);
        var root = await source.ReadAsync(repository.Name, commit.Sha, folder: null, cancellationToken).ConfigureAwait(false);
        var config = new ManifestLoader().LoadConfig(root);
        var environments = config.HasErrors ? [] : WebhookEnvironmentMatcher.Match(push, config.Environments);

        var enqueued = new JsonArray();
        foreach (var environment in environments)
        {
            var job = new ReconcileJob
            {
                JobId = Guid.NewGuid().ToString("N"),
                Repository = repository.Name,
                Environment = environment.Name,
                Commit = commit.Sha,
                Trigger = RunTrigger.Push,
                DeliveryId = push.DeliveryId,
                EnqueuedAt = _time.GetUtcNow(),
                RequestedBy = push.Pusher,
            };
            await queue.EnqueueAsync(job, cancellationToken: cancellationToken).ConfigureAwait(false);
            enqueued.Add(new JsonObject { ["environment"] = environment.Name, ["jobId"] = job.JobId });
        }

        var skipped = config.Environments
            .Where(e => !environments.Contains(e))
            .Select(e => (JsonNode)new JsonObject
            {
                ["environment"] = e.Name,
                ["reason"] = e.Branch != push.Branch ? $"follows branch '{e.Branch}'" : $"nothing under '{e.Path}' changed",
            })
            .ToArray();
        logger.LogInformation("Push {Commit} to {Repository}/{Branch}: {Count} job(s) enqueued.", commit.ShortSha, repository.Name, push.Branch, enqueued.Count);
        var body = new JsonObject
        {
            ["status"] = enqueued.Count > 0 ? "enqueued" : "no environment matched",
            ["repository"] = repository.Name,
            ["branch"] = push.Branch,
            ["commit"] = commit.Sha,
            ["deliveryId"] = push.DeliveryId,
            ["enqueued"] = enqueued,
            ["skipped"] = new JsonArray(skipped),
        };
        if (config.HasErrors)
        {
            body["error"] = $"gitops.yaml at {commit.ShortSha} is invalid; run 'gitops validate' on that commit.";
        }

        return new WebhookResponse(enqueued.Count > 0 ? 202 : 200, body);
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
