namespace GitOps.Git.Webhooks;

/// <summary>The body is not a payload of the expected shape.</summary>
internal sealed class WebhookPayloadException(string message) : Exception(message);
