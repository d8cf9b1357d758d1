using System.Text.Json.Nodes;

namespace GitOps.Hosting.Handlers;

/// <summary>The HTTP answer of the webhook function: a status and a JSON summary.</summary>
/// <param name="StatusCode">202 enqueued, 200 ignored or duplicate, 400 malformed, 401 not authentic, 413 too large, 503 retry later.</param>
/// <param name="Body">What happened, for the git host's delivery log.</param>
public sealed record WebhookResponse(int StatusCode, JsonObject Body);
