namespace GitOps.Git.Webhooks;

/// <summary>The verdict on one delivery.</summary>
public sealed record WebhookResult
{
    /// <summary>What was decided.</summary>
    public required WebhookOutcome Outcome { get; init; }

    /// <summary>The HTTP status to answer: 202 push, 200 ignored or duplicate, 401 authentication, 400 malformed or unknown, 413 too large.</summary>
    public int StatusCode => Outcome switch
    {
        WebhookOutcome.Accepted => 202,
        WebhookOutcome.Ignored or WebhookOutcome.Duplicate => 200,
        WebhookOutcome.Unauthorized => 401,
        WebhookOutcome.TooLarge => 413,
        _ => 400,
    };

    /// <summary>True when authentication passed.</summary>
    public bool Authentic => AuthFailure == WebhookAuthFailure.None;

    /// <summary>Why authentication failed, or <see cref="WebhookAuthFailure.None"/>.</summary>
    public WebhookAuthFailure AuthFailure { get; init; }

    /// <summary>The detected provider, when recognised.</summary>
    public WebhookProvider? Provider { get; init; }

    /// <summary>The normalised event; present whenever the body could be parsed, even when not authentic (never act on it then).</summary>
    public WebhookEvent? Event { get; init; }

    /// <summary>The <see cref="WebhookReplayKey"/> recorded for an accepted delivery (to forget it again when its job cannot be enqueued).</summary>
    public string? ReplayKey { get; init; }

    /// <summary>Why the body could not be read (not JSON, not the provider's shape), whatever authentication said; null when it was read.</summary>
    public string? BodyError { get; init; }

    /// <summary>A short explanation, safe to return to the caller and to log (no secrets, no signatures).</summary>
    public required string Message { get; init; }
}
