namespace GitOps.Git.Webhooks;

/// <summary>
/// Secrets and limits for webhook verification. Each list may hold several values so a secret can be rotated
/// without dropping deliveries. A provider with no secret configured is refused (fail closed).
/// </summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>GitHub webhook secrets (HMAC-SHA256, <c>X-Hub-Signature-256</c>).</summary>
    public IList<string> GitHubSecrets { get; } = new List<string>();

    /// <summary>GitLab secret tokens (<c>X-Gitlab-Token</c>, compared in constant time).</summary>
    public IList<string> GitLabTokens { get; } = new List<string>();

    /// <summary>GitLab signing tokens (<c>whsec_&lt;base64 key&gt;</c>, Standard Webhooks signatures).</summary>
    public IList<string> GitLabSigningTokens { get; } = new List<string>();

    /// <summary>Gitea and Forgejo webhook secrets (HMAC-SHA256, <c>X-Gitea-Signature</c>/<c>X-Forgejo-Signature</c>).</summary>
    public IList<string> GiteaSecrets { get; } = new List<string>();

    /// <summary>Bitbucket Cloud webhook secrets (HMAC-SHA256, <c>X-Hub-Signature: sha256=…</c>).</summary>
    public IList<string> BitbucketSecrets { get; } = new List<string>();

    /// <summary>Azure DevOps service hook credentials.</summary>
    public IList<AzureDevOpsWebhookCredential> AzureDevOpsCredentials { get; } = new List<AzureDevOpsWebhookCredential>();

    /// <summary>Largest accepted body; larger deliveries are answered 413 without being read further. Default 1 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How far a signed timestamp (GitLab signing token) may be from now, either way. Default 5 minutes.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock used for timestamp freshness; tests inject a fixed one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
