namespace GitOps.Git.Webhooks;

/// <summary>Why a delivery was not authenticated.</summary>
public enum WebhookAuthFailure
{
    /// <summary>Authenticated.</summary>
    None,

    /// <summary>Authentication was not attempted: the body was too large or the provider unknown.</summary>
    NotChecked,

    /// <summary>No secret, token or credential is configured for the provider, so nothing can be verified.</summary>
    NoSecretConfigured,

    /// <summary>The delivery carries no signature or token (or an empty one: a hook without a secret).</summary>
    MissingSignature,

    /// <summary>The signature does not match the body with any configured secret.</summary>
    BadSignature,

    /// <summary>The token or credentials do not match any configured value.</summary>
    WrongToken,

    /// <summary>The signed timestamp is outside the allowed window (a replay or a wrong clock).</summary>
    StaleTimestamp,
}
