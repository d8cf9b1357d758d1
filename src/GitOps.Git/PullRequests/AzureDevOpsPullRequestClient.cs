using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Previews;

namespace GitOps.Git.PullRequests;

/// <summary>
/// Publishes previews on Azure DevOps through the REST API (<c>api-version=7.1</c>): the comment is the first comment of
/// a pull request thread (<c>GET/POST {project}/_apis/git/repositories/{repo}/pullRequests/{id}/threads</c>,
/// <c>PATCH …/threads/{threadId}/comments/{commentId}</c>), each environment a pull request status
/// (<c>POST …/pullRequests/{id}/statuses</c>, context genre <c>gitops</c> and name <c>&lt;env&gt;</c>, shown as
/// <c>gitops/&lt;env&gt;</c>, which a branch policy can require). A PAT goes as <c>Authorization: Basic base64(":" + PAT)</c>.
/// Sources: https://learn.microsoft.com/rest/api/azure/devops/git/pull-request-threads and
/// https://learn.microsoft.com/rest/api/azure/devops/git/pull-request-statuses/create.
/// </summary>
public sealed class AzureDevOpsPullRequestClient(HttpClient http, PullRequestApiOptions options) : PullRequestApiClient(http, options)
{
    private const string ApiVersion = "api-version=7.1";

    /// <inheritdoc />
    public override async Task UpsertCommentAsync(PullRequestRef pullRequest, string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        var me = await IdentityAsync(cancellationToken).ConfigureAwait(false);
        var threads = (await SendAsync(HttpMethod.Get, $"{PullRequest(pullRequest)}/threads?{ApiVersion}", null, cancellationToken).ConfigureAwait(false))?["value"] as JsonArray ?? [];
        foreach (var thread in threads)
        {
            var first = (thread?["comments"] as JsonArray)?.FirstOrDefault();
            if (PreviewComment.IsMarked(Text(first, "content")) && string.Equals(Text(first?["author"], "id"), me, StringComparison.OrdinalIgnoreCase)
                && Id(thread, "id") is { } threadId && Id(first, "id") is { } commentId)
            {
                await SendAsync(HttpMethod.Patch, $"{PullRequest(pullRequest)}/threads/{Segment(threadId)}/comments/{Segment(commentId)}?{ApiVersion}", new JsonObject { ["content"] = markdown }, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        var body = new JsonObject
        {
            ["comments"] = new JsonArray(new JsonObject { ["parentCommentId"] = 0, ["content"] = markdown, ["commentType"] = "text" }),
            ["status"] = "active",
        };
        await SendAsync(HttpMethod.Post, $"{PullRequest(pullRequest)}/threads?{ApiVersion}", body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task SetStatusAsync(PullRequestRef pullRequest, string environment, PreviewStatusState state, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        var body = new JsonObject
        {
            ["state"] = state switch
            {
                PreviewStatusState.Pending => "pending",
                PreviewStatusState.Success => "succeeded",
                PreviewStatusState.Failure => "failed",
                _ => "error",
            },
            ["description"] = Cut(description),
            ["context"] = new JsonObject { ["genre"] = "gitops", ["name"] = environment },
        };
        return SendAsync(HttpMethod.Post, $"{PullRequest(pullRequest)}/statuses?{ApiVersion}", body, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Authenticate(HttpRequestHeaders headers) =>
        headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Options.Token)));

    /// <inheritdoc />
    protected override async Task<string> WhoAmIAsync(CancellationToken cancellationToken) =>
        Id((await SendAsync(HttpMethod.Get, "_apis/connectionData?api-version=7.1-preview", null, cancellationToken).ConfigureAwait(false))?["authenticatedUser"], "id")
        ?? throw new Core.Ports.PullRequestPublishException("connectionData named no authenticated user; set the repository's PullRequestIdentity.", transient: false);

    private string PullRequest(PullRequestRef pullRequest)
    {
        var parts = Options.Repository.Split('/');
        return parts.Length == 2
            ? $"{Segment(parts[0])}/_apis/git/repositories/{Segment(parts[1])}/pullRequests/{pullRequest.Number}"
            : throw new Core.Ports.PullRequestPublishException($"'{Options.Repository}' is not project/repository.", transient: false);
    }
}
