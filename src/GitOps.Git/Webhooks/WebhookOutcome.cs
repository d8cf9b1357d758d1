namespace GitOps.Git.Webhooks;

/// <summary>What the receiver decided about a delivery.</summary>
public enum WebhookOutcome
{
    /// <summary>An authentic push: reconcile (HTTP 202).</summary>
    Accepted,

    /// <summary>An authentic delivery that is not a push (ping, pull request…): nothing to do (HTTP 200).</summary>
    Ignored,

    /// <summary>An authentic push whose delivery id was already seen: nothing to do (HTTP 200).</summary>
    Duplicate,

    /// <summary>Authentication failed (HTTP 401).</summary>
    Unauthorized,

    /// <summary>The provider could not be recognised from the headers or body (HTTP 400).</summary>
    UnknownProvider,

    /// <summary>The body is not valid JSON (or form-encoded JSON) of the expected shape (HTTP 400).</summary>
    Malformed,

    /// <summary>The body is larger than <see cref="WebhookReceiverOptions.MaxBodyBytes"/> (HTTP 413).</summary>
    TooLarge,
}
