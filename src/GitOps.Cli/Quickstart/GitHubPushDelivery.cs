using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Cli.Quickstart;

/// <summary>
/// A push delivery shaped as GitHub sends it: <c>X-GitHub-Event: push</c>, a delivery id, and
/// <c>X-Hub-Signature-256</c>, the HMAC-SHA256 of the exact body bytes with the webhook secret.
/// </summary>
internal static class GitHubPushDelivery
{
    /// <summary>Builds the request for a push of <paramref name="after"/> on top of <paramref name="before"/> to <c>main</c>.</summary>
    public static HttpRequestMessage Create(Uri webhook, string secret, string fullName, string before, string after, string message, IReadOnlyList<string> modified, out string deliveryId)
    {
        var files = new JsonArray(modified.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray());
        var commit = new JsonObject
        {
            ["id"] = after,
            ["message"] = message,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            ["author"] = new JsonObject { ["name"] = "GitOps Quickstart", ["email"] = "quickstart@gitops.invalid" },
            ["added"] = new JsonArray(),
            ["modified"] = files,
            ["removed"] = new JsonArray(),
        };
        var payload = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["before"] = before,
            ["after"] = after,
            ["created"] = false,
            ["deleted"] = false,
            ["forced"] = false,
            ["repository"] = new JsonObject
            {
                ["full_name"] = fullName,
                ["clone_url"] = $"https://github.invalid/{fullName}.git",
                ["default_branch"] = "main",
            },
            ["pusher"] = new JsonObject { ["name"] = "quickstart" },
            ["commits"] = new JsonArray(commit),
            ["head_commit"] = commit.DeepClone(),
        };

        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        deliveryId = Guid.NewGuid().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/quickstart");
        return request;
    }
}
