using System.Text;
using System.Text.Json;

namespace GitOps.Git.Webhooks;

/// <summary>
/// Verifies and parses one webhook delivery without side effects: size limit, provider detection, authentication
/// over the raw body bytes, then normalisation. Used by the webhook function and by <c>gitops webhook inspect</c>.
/// </summary>
public sealed class WebhookInspector
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };
    private readonly WebhookReceiverOptions _options;

    /// <summary>Creates an inspector.</summary>
    public WebhookInspector(WebhookReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Inspects a delivery.</summary>
    /// <param name="headers">The request headers (names compared case-insensitively).</param>
    /// <param name="body">The exact request body bytes, as received.</param>
    /// <param name="provider">The provider, when the endpoint already says (e.g. a per-provider route); null to detect it.</param>
    public WebhookResult Inspect(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, WebhookProvider? provider = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (body.Length > _options.MaxBodyBytes)
        {
            return new WebhookResult { Outcome = WebhookOutcome.TooLarge, AuthFailure = WebhookAuthFailure.NotChecked, Message = $"The body is {body.Length} bytes, over the limit of {_options.MaxBodyBytes} bytes." };
        }

        var requestHeaders = new WebhookHeaders(headers);
        using var document = TryParse(requestHeaders, body, out var parseError);
        var detected = provider ?? Detect(requestHeaders, document);
        if (detected is not { } known)
        {
            return new WebhookResult { Outcome = WebhookOutcome.UnknownProvider, AuthFailure = WebhookAuthFailure.NotChecked, Message = "The delivery is from no known provider (no X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event, X-Forgejo-Event or X-Event-Key header, and not an Azure DevOps service hook body)." };
        }

        var (failure, authMessage) = WebhookAuthenticator.Authenticate(known, requestHeaders, body, _options);
        var authentic = failure == WebhookAuthFailure.None;
        WebhookEvent? webhookEvent = null;
        if (document is not null)
        {
            try
            {
                webhookEvent = WebhookPayloadParser.Parse(known, EventName(known, requestHeaders), DeliveryId(known, requestHeaders), authentic, document.RootElement);
            }
            catch (WebhookPayloadException e)
            {
                parseError = e.Message;
            }
        }

        var bodyError = webhookEvent is null ? $"The {known.ToWireName()} body is malformed: {parseError}" : null;
        if (!authentic)
        {
            return new WebhookResult { Outcome = WebhookOutcome.Unauthorized, AuthFailure = failure, Provider = known, Event = webhookEvent, Message = authMessage, BodyError = bodyError };
        }

        if (webhookEvent is null)
        {
            return new WebhookResult { Outcome = WebhookOutcome.Malformed, Provider = known, Message = bodyError!, BodyError = bodyError };
        }

        if (webhookEvent.PullRequest is { Previewable: true } pr)
        {
            if (!PreviewablePullRequest(pr, out var problem))
            {
                return new WebhookResult { Outcome = WebhookOutcome.Malformed, Provider = known, Event = webhookEvent, Message = problem, BodyError = problem };
            }

            return new WebhookResult { Outcome = WebhookOutcome.Accepted, Provider = known, Event = webhookEvent, Message = $"Pull request #{pr.Number} of {pr.RepoFullName} at {pr.HeadSha} accepted for a preview." };
        }

        return webhookEvent.IsPush
            ? new WebhookResult { Outcome = WebhookOutcome.Accepted, Provider = known, Event = webhookEvent, Message = $"Push to {webhookEvent.Ref} of {webhookEvent.RepoFullName} accepted." }
            : new WebhookResult { Outcome = WebhookOutcome.Ignored, Provider = known, Event = webhookEvent, Message = webhookEvent.PullRequest is { } ignored ? $"Pull request #{ignored.Number} '{ignored.Action}' brings no new head; nothing to preview." : $"'{webhookEvent.Event}' is not a push; nothing to do." };
    }

    // What a preview needs, checked before anything is queued: a number that can sit in a git ref, a full head SHA, a branch.
    private static bool PreviewablePullRequest(WebhookPullRequest pr, out string problem)
    {
        problem = string.Empty;
        if (pr.Number is <= 0 or > 1_000_000_000_000)
        {
            problem = $"The pull request number {pr.Number} is out of range.";
        }
        else if (pr.HeadSha is not { Length: 40 or 64 } head || !head.All(Uri.IsHexDigit))
        {
            problem = $"Pull request #{pr.Number} names no full head commit.";
        }
        else if (string.IsNullOrEmpty(pr.TargetBranch) || pr.TargetBranch.StartsWith("refs/", StringComparison.Ordinal))
        {
            problem = $"Pull request #{pr.Number} names no target branch.";
        }

        return problem.Length == 0;
    }

    /// <summary>Detects the provider from headers; Forgejo and Gitea first, because they also send GitHub's headers.</summary>
    internal static WebhookProvider? Detect(WebhookHeaders headers, JsonDocument? document)
    {
        if (headers.Has("X-Forgejo-Event"))
        {
            return WebhookProvider.Forgejo;
        }

        if (headers.Has("X-Gitea-Event") || headers.Has("X-Gogs-Event"))
        {
            return WebhookProvider.Gitea;
        }

        if (headers.Has("X-Gitlab-Event"))
        {
            return WebhookProvider.GitLab;
        }

        if (headers.Has("X-GitHub-Event"))
        {
            return WebhookProvider.GitHub;
        }

        if (headers.Has("X-Event-Key"))
        {
            return WebhookProvider.Bitbucket;
        }

        // Azure DevOps sends no identifying header; its service-hook envelope names the publisher and event type.
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root
            && root.String("eventType") is not null
            && root.String("publisherId") is "tfs" or "vss" or "pipelines")
        {
            return WebhookProvider.AzureDevOps;
        }

        return null;
    }

    private static string? EventName(WebhookProvider provider, WebhookHeaders headers) => provider switch
    {
        WebhookProvider.GitHub => headers.Get("X-GitHub-Event"),
        WebhookProvider.GitLab => headers.Get("X-Gitlab-Event"),
        WebhookProvider.Gitea => headers.First("X-Gitea-Event", "X-Gogs-Event"),
        WebhookProvider.Forgejo => headers.First("X-Forgejo-Event", "X-Gitea-Event"),
        WebhookProvider.Bitbucket => headers.Get("X-Event-Key"),
        _ => null,
    };

    private static string? DeliveryId(WebhookProvider provider, WebhookHeaders headers) => provider switch
    {
        WebhookProvider.GitHub => headers.Get("X-GitHub-Delivery"),
        WebhookProvider.GitLab => headers.First("Idempotency-Key", "webhook-id", "X-Gitlab-Event-UUID"),
        WebhookProvider.Gitea => headers.First("X-Gitea-Delivery", "X-Gogs-Delivery"),
        WebhookProvider.Forgejo => headers.First("X-Forgejo-Delivery", "X-Gitea-Delivery"),
        WebhookProvider.Bitbucket => headers.Get("X-Request-UUID"),
        _ => null,
    };

    private static JsonDocument? TryParse(WebhookHeaders headers, ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        try
        {
            var contentType = headers.Get("Content-Type") ?? string.Empty;
            if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
                || body.StartsWith("payload="u8))
            {
                var payload = FormPayload(Encoding.UTF8.GetString(body));
                if (payload is null)
                {
                    error = "the form-encoded body has no 'payload' field.";
                    return null;
                }

                return JsonDocument.Parse(payload, JsonOptions);
            }

            return JsonDocument.Parse(body.ToArray(), JsonOptions);
        }
        catch (JsonException e)
        {
            error = $"not valid JSON ({e.Message})";
            return null;
        }
    }

    private static string? FormPayload(string form)
    {
        foreach (var pair in form.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (name == "payload")
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }
}
