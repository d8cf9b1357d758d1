using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GitOps.Hosting.Tests;

/// <summary>Builds signed push deliveries the way GitHub, Gitea and GitLab send them.</summary>
internal static class Deliveries
{
    public static string Hex(string secret, byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static JsonArray Commits(string after, string[] added, string[] modified) =>
    [
        new JsonObject
        {
            ["id"] = after,
            ["message"] = "change",
            ["added"] = new JsonArray(added.Select(a => (JsonNode)a).ToArray()),
            ["modified"] = new JsonArray(modified.Select(a => (JsonNode)a).ToArray()),
            ["removed"] = new JsonArray(),
        },
    ];

    public static (byte[] Body, Dictionary<string, string> Headers) GitHubPush(
        string fullName, string cloneUrl, string branch, string before, string after, string[] added, string[] modified, string secret, string? deliveryId = null, string @event = "push")
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["ref"] = $"refs/heads/{branch}",
            ["before"] = before,
            ["after"] = after,
            ["created"] = false,
            ["deleted"] = false,
            ["forced"] = false,
            ["repository"] = new JsonObject { ["name"] = fullName.Split('/')[1], ["full_name"] = fullName, ["clone_url"] = cloneUrl, ["ssh_url"] = $"git@example.test:{fullName}.git" },
            ["pusher"] = new JsonObject { ["name"] = "alice", ["email"] = "alice@example.test" },
            ["commits"] = Commits(after, added, modified),
        }.ToJsonString());
        return (body, GitHubHeaders(body, secret, deliveryId, @event));
    }

    public static Dictionary<string, string> GitHubHeaders(byte[] body, string secret, string? deliveryId = null, string @event = "push") => new()
    {
        ["X-GitHub-Event"] = @event,
        ["X-GitHub-Delivery"] = deliveryId ?? Guid.NewGuid().ToString(),
        ["X-Hub-Signature-256"] = "sha256=" + Hex(secret, body),
        ["User-Agent"] = "GitHub-Hookshot/044aadd",
    };

    public static (byte[] Body, Dictionary<string, string> Headers) GiteaPush(
        string fullName, string cloneUrl, string branch, string before, string after, string[] modified, string secret)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["ref"] = $"refs/heads/{branch}",
            ["before"] = before,
            ["after"] = after,
            ["repository"] = new JsonObject { ["full_name"] = fullName, ["clone_url"] = cloneUrl },
            ["pusher"] = new JsonObject { ["login"] = "bob" },
            ["commits"] = Commits(after, [], modified),
        }.ToJsonString());
        return (body, new Dictionary<string, string>
        {
            ["X-Gitea-Event"] = "push",
            ["X-Gitea-Delivery"] = Guid.NewGuid().ToString(),
            ["X-Gitea-Signature"] = Hex(secret, body),
        });
    }

    public static (byte[] Body, Dictionary<string, string> Headers) GitLabPush(
        string fullName, string cloneUrl, string branch, string before, string after, string[] modified, string token)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["object_kind"] = "push",
            ["event_name"] = "push",
            ["ref"] = $"refs/heads/{branch}",
            ["before"] = before,
            ["after"] = after,
            ["user_username"] = "carol",
            ["project"] = new JsonObject { ["path_with_namespace"] = fullName, ["git_http_url"] = cloneUrl },
            ["commits"] = Commits(after, [], modified),
            ["total_commits_count"] = 1,
        }.ToJsonString());
        return (body, new Dictionary<string, string>
        {
            ["X-Gitlab-Event"] = "Push Hook",
            ["X-Gitlab-Event-UUID"] = Guid.NewGuid().ToString(),
            ["X-Gitlab-Token"] = token,
        });
    }

    public static HttpRequestMessage Request(byte[] body, IEnumerable<KeyValuePair<string, string>> headers, string path = "/api/webhook", string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
