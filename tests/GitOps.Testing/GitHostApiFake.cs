using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Testing;

/// <summary>Which git host's API a <see cref="GitHostApiFake"/> plays.</summary>
public enum GitHostApi
{
    /// <summary>GitHub REST: issue comments and commit statuses.</summary>
    GitHub,

    /// <summary>GitLab REST v4: merge request notes and commit statuses.</summary>
    GitLab,

    /// <summary>Azure DevOps REST 7.1: pull request threads and pull request statuses.</summary>
    AzureDevOps,
}

/// <summary>
/// A local stand-in for the pull-request APIs of GitHub, GitLab or Azure DevOps (Kestrel on a free loopback port). It
/// enforces what each host documents: the authentication header and its exact form, the API version header or query,
/// the paths (GitLab's URL-encoded project path), JSON bodies with the required fields and allowed state values, and
/// that only a comment's author edits it. Anything else is answered as the host would (401, 404, 400/422, 403) and
/// recorded, so a test can assert that nothing went astray. It keeps the comments and statuses it was sent.
/// Sources: https://docs.github.com/en/rest/issues/comments, https://docs.github.com/en/rest/commits/statuses,
/// https://docs.gitlab.com/api/notes/, https://docs.gitlab.com/api/commits/,
/// https://learn.microsoft.com/rest/api/azure/devops/git/pull-request-threads,
/// https://learn.microsoft.com/rest/api/azure/devops/git/pull-request-statuses.
/// </summary>
public sealed class GitHostApiFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private long _nextId = 1000;

    private GitHostApiFake(WebApplication app, GitHostApi api, string token, string botLogin, string botId)
    {
        _app = app;
        Api = api;
        Token = token;
        BotLogin = botLogin;
        BotId = botId;
    }

    /// <summary>The API played.</summary>
    public GitHostApi Api { get; }

    /// <summary>The only token accepted.</summary>
    public string Token { get; }

    /// <summary>The login (GitHub, GitLab username) the token authenticates as.</summary>
    public string BotLogin { get; }

    /// <summary>The numeric or GUID id the token authenticates as (GitLab, Azure DevOps).</summary>
    public string BotId { get; }

    /// <summary>The base URL to configure as <c>PullRequestApiUrl</c>: the root (GitHub), <c>/api/v4/</c> (GitLab), <c>/fabrikam/</c> (Azure DevOps).</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>Every request: method, raw path and query, and the status answered.</summary>
    public ConcurrentQueue<(string Method, string Target, int Status)> Requests { get; } = new();

    /// <summary>The comments on each pull request, in order: id, author login, author id, body.</summary>
    public ConcurrentDictionary<long, List<FakeComment>> Comments { get; } = new();

    /// <summary>The statuses set, in order: commit (GitHub, GitLab) or pull request number (Azure DevOps) as text, context, state, description.</summary>
    public ConcurrentQueue<(string Target, string Context, string State, string Description)> Statuses { get; } = new();

    /// <summary>Starts the fake.</summary>
    /// <param name="api">The host to play.</param>
    /// <param name="token">The token it accepts.</param>
    public static async Task<GitHostApiFake> StartAsync(GitHostApi api, string token = "pr-api-token-5d1f")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new GitHostApiFake(app, api, token, "gitops-bot", api == GitHostApi.AzureDevOps ? "0b6b8a5e-2f6a-4f63-9f0c-6d3c9a8e7f11" : "4242");
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        fake.ApiUrl = new Uri(address, api switch { GitHostApi.GitLab => "/api/v4/", GitHostApi.AzureDevOps => "/fabrikam/", _ => "/" });
        return fake;
    }

    /// <summary>Posts a comment as someone else (a pull request author, say).</summary>
    public FakeComment AddComment(long number, string login, string id, string body)
    {
        var comment = new FakeComment(Interlocked.Increment(ref _nextId), Interlocked.Increment(ref _nextId), login, id, body);
        lock (_gate)
        {
            Comments.GetOrAdd(number, _ => []).Add(comment);
        }

        return comment;
    }

    /// <summary>The comments on a pull request by our token's identity.</summary>
    public IReadOnlyList<FakeComment> OurComments(long number)
    {
        lock (_gate)
        {
            return Comments.TryGetValue(number, out var list) ? list.Where(c => c.Login == BotLogin).ToList() : [];
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var (status, answer) = await AnswerAsync(context, target);
        Requests.Enqueue((context.Request.Method, target, status));
        context.Response.StatusCode = status;
        if (answer is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.ToJsonString());
        }
    }

    private async Task<(int Status, JsonNode? Answer)> AnswerAsync(HttpContext context, string target)
    {
        var request = context.Request;
        if (!Authenticated(request))
        {
            return (401, new JsonObject { ["message"] = "Bad credentials" });
        }

        if (Api == GitHostApi.GitHub && request.Headers["X-GitHub-Api-Version"] != "2022-11-28")
        {
            return (400, new JsonObject { ["message"] = "X-GitHub-Api-Version is missing or unsupported" });
        }

        if (string.IsNullOrEmpty(request.Headers.UserAgent))
        {
            return (403, new JsonObject { ["message"] = "Requests must have a User-Agent header" });
        }

        JsonObject? body = null;
        if (request.Method is "POST" or "PATCH" or "PUT")
        {
            if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                return (415, new JsonObject { ["message"] = "Content-Type must be application/json" });
            }

            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject;
            if (body is null)
            {
                return (400, new JsonObject { ["message"] = "Problems parsing JSON" });
            }
        }

        var path = target.Split('?')[0];
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        return Api switch
        {
            GitHostApi.GitHub => GitHub(request.Method, path, body),
            GitHostApi.GitLab => GitLab(request.Method, path, body),
            _ => AzureDevOps(request.Method, path, query, body),
        };
    }

    private bool Authenticated(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return Api switch
        {
            GitHostApi.GitHub => authorization == $"Bearer {Token}",
            GitHostApi.GitLab => request.Headers["PRIVATE-TOKEN"] == Token,
            _ => authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Token)),
        };
    }

    private (int, JsonNode?) GitHub(string method, string path, JsonObject? body)
    {
        var s = path.Trim('/').Split('/');
        if (method == "GET" && path == "/user")
        {
            return (200, new JsonObject { ["login"] = BotLogin, ["id"] = long.Parse(BotId, System.Globalization.CultureInfo.InvariantCulture) });
        }

        // /repos/{owner}/{repo}/issues/{number}/comments
        if (s is ["repos", _, _, "issues", var n, "comments"] && long.TryParse(n, out var number))
        {
            if (method == "GET")
            {
                return (200, new JsonArray(List(number).Select(c => (JsonNode?)new JsonObject { ["id"] = c.Id, ["body"] = c.Body, ["user"] = new JsonObject { ["login"] = c.Login, ["id"] = c.AuthorId } }).ToArray()));
            }

            if (method == "POST")
            {
                return Text(body, "body") is { } text ? (201, Created(number, text)) : (422, new JsonObject { ["message"] = "body is missing" });
            }
        }

        // PATCH /repos/{owner}/{repo}/issues/comments/{id}
        if (s is ["repos", _, _, "issues", "comments", var id] && method == "PATCH" && long.TryParse(id, out var commentId))
        {
            return Edit(commentId, Text(body, "body"));
        }

        // POST /repos/{owner}/{repo}/statuses/{sha}
        if (s is ["repos", _, _, "statuses", var sha] && method == "POST")
        {
            var state = Text(body, "state");
            var contextName = Text(body, "context") ?? "default";
            var description = Text(body, "description") ?? string.Empty;
            if (state is not ("error" or "failure" or "pending" or "success") || description.Length > 140 || sha.Length != 40)
            {
                return (422, new JsonObject { ["message"] = "Validation Failed" });
            }

            Statuses.Enqueue((sha, contextName, state, description));
            return (201, new JsonObject { ["state"] = state, ["context"] = contextName });
        }

        return (404, new JsonObject { ["message"] = "Not Found" });
    }

    private (int, JsonNode?) GitLab(string method, string path, JsonObject? body)
    {
        if (!path.StartsWith("/api/v4/", StringComparison.Ordinal))
        {
            return (404, new JsonObject { ["message"] = "404 Not Found" });
        }

        var s = path["/api/v4/".Length..].Split('/');
        if (method == "GET" && s is ["user"])
        {
            return (200, new JsonObject { ["id"] = long.Parse(BotId, System.Globalization.CultureInfo.InvariantCulture), ["username"] = BotLogin });
        }

        // The project is its URL-encoded path: "group%2Fproject" in one segment.
        if (s is ["projects", var project, ..] && !project.Contains("%2F", StringComparison.OrdinalIgnoreCase))
        {
            return (404, new JsonObject { ["message"] = "404 Project Not Found" });
        }

        if (s is ["projects", _, "merge_requests", var iid, "notes"] && long.TryParse(iid, out var number))
        {
            if (method == "GET")
            {
                return (200, new JsonArray(List(number).Select(c => (JsonNode?)new JsonObject { ["id"] = c.Id, ["body"] = c.Body, ["system"] = false, ["author"] = new JsonObject { ["id"] = long.Parse(c.AuthorId, System.Globalization.CultureInfo.InvariantCulture), ["username"] = c.Login } }).ToArray()));
            }

            if (method == "POST")
            {
                return Text(body, "body") is { } text ? (201, Created(number, text)) : (400, new JsonObject { ["message"] = "body is missing" });
            }
        }

        if (s is ["projects", _, "merge_requests", _, "notes", var id] && method == "PUT" && long.TryParse(id, out var noteId))
        {
            return Edit(noteId, Text(body, "body"));
        }

        if (s is ["projects", _, "statuses", var sha] && method == "POST")
        {
            var state = Text(body, "state");
            if (state is not ("pending" or "running" or "success" or "failed" or "canceled") || sha.Length != 40)
            {
                return (400, new JsonObject { ["message"] = "state does not have a valid value" });
            }

            Statuses.Enqueue((sha, Text(body, "name") ?? "default", state, Text(body, "description") ?? string.Empty));
            return (201, new JsonObject { ["status"] = state });
        }

        return (404, new JsonObject { ["message"] = "404 Not Found" });
    }

    private (int, JsonNode?) AzureDevOps(string method, string path, string query, JsonObject? body)
    {
        var s = path.Trim('/').Split('/');
        if (s is ["fabrikam", "_apis", "connectionData"] && method == "GET")
        {
            return query.Contains("api-version=7.1-preview", StringComparison.Ordinal)
                ? (200, new JsonObject { ["authenticatedUser"] = new JsonObject { ["id"] = BotId, ["providerDisplayName"] = BotLogin } })
                : (400, new JsonObject { ["message"] = "api-version is required" });
        }

        if (!query.Split('&').Contains("api-version=7.1"))
        {
            return (400, new JsonObject { ["message"] = "No api-version was supplied for the request." });
        }

        // /fabrikam/{project}/_apis/git/repositories/{repo}/pullRequests/{id}/…
        if (s is not ["fabrikam", _, "_apis", "git", "repositories", _, "pullRequests", var idText, ..] || !long.TryParse(idText, out var number))
        {
            return (404, new JsonObject { ["message"] = "Not found" });
        }

        var rest = s[8..];
        if (rest is ["threads"] && method == "GET")
        {
            return (200, new JsonObject
            {
                ["value"] = new JsonArray(List(number).Select(c => (JsonNode?)new JsonObject
                {
                    ["id"] = c.ThreadId,
                    ["comments"] = new JsonArray(new JsonObject { ["id"] = 1, ["content"] = c.Body, ["author"] = new JsonObject { ["id"] = c.AuthorId, ["displayName"] = c.Login } }),
                }).ToArray()),
            });
        }

        if (rest is ["threads"] && method == "POST")
        {
            var first = (body?["comments"] as JsonArray)?.FirstOrDefault();
            return Text(first, "content") is { } content ? (200, Created(number, content)) : (400, new JsonObject { ["message"] = "comments are required" });
        }

        if (rest is ["threads", var thread, "comments", "1"] && method == "PATCH" && long.TryParse(thread, out var threadId))
        {
            FakeComment? found;
            lock (_gate)
            {
                found = List(number).FirstOrDefault(c => c.ThreadId == threadId);
            }

            return found is null ? (404, new JsonObject { ["message"] = "thread not found" }) : Edit(found.Id, Text(body, "content"));
        }

        if (rest is ["statuses"] && method == "POST")
        {
            var state = Text(body, "state");
            var name = Text(body?["context"], "name");
            if (state is not ("notSet" or "pending" or "succeeded" or "failed" or "error" or "notApplicable") || name is null)
            {
                return (400, new JsonObject { ["message"] = "context.name and a valid state are required" });
            }

            Statuses.Enqueue((number.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{Text(body?["context"], "genre")}/{name}", state, Text(body, "description") ?? string.Empty));
            return (200, new JsonObject { ["state"] = state });
        }

        return (404, new JsonObject { ["message"] = "Not found" });
    }

    private List<FakeComment> List(long number)
    {
        lock (_gate)
        {
            return [.. Comments.GetOrAdd(number, _ => [])];
        }
    }

    private JsonObject Created(long number, string text)
    {
        var comment = AddComment(number, BotLogin, BotId, text);
        return new JsonObject { ["id"] = Api == GitHostApi.AzureDevOps ? comment.ThreadId : comment.Id };
    }

    // Only a comment's author may edit it here (the hosts let some others, which is exactly what must not happen to an author's comment).
    private (int, JsonNode?) Edit(long id, string? text)
    {
        lock (_gate)
        {
            foreach (var list in Comments.Values)
            {
                var index = list.FindIndex(c => c.Id == id);
                if (index < 0)
                {
                    continue;
                }

                if (list[index].Login != BotLogin)
                {
                    return (403, new JsonObject { ["message"] = "Only the author may edit this comment in the fake" });
                }

                if (text is null)
                {
                    return (422, new JsonObject { ["message"] = "body is missing" });
                }

                list[index] = list[index] with { Body = text, Edits = list[index].Edits + 1 };
                return (200, new JsonObject { ["id"] = id });
            }
        }

        return (404, new JsonObject { ["message"] = "Not Found" });
    }

    private static string? Text(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A comment the fake holds.</summary>
/// <param name="Id">The comment id (GitHub, GitLab) or the id the fake edits by.</param>
/// <param name="ThreadId">The Azure DevOps thread id.</param>
/// <param name="Login">The author's login.</param>
/// <param name="AuthorId">The author's id.</param>
/// <param name="Body">The text.</param>
/// <param name="Edits">How many times it was edited.</param>
public sealed record FakeComment(long Id, long ThreadId, string Login, string AuthorId, string Body, int Edits = 0);
