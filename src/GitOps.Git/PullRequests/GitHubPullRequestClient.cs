using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GitOps.Core.Previews;

namespace GitOps.Git.PullRequests;

/// <summary>
/// Publishes previews on GitHub through the REST API: the comment is an issue comment
/// (<c>GET/POST /repos/{owner}/{repo}/issues/{number}/comments</c>, <c>PATCH /repos/{owner}/{repo}/issues/comments/{id}</c>),
/// each environment a commit status (<c>POST /repos/{owner}/{repo}/statuses/{sha}</c>, context <c>gitops/&lt;env&gt;</c>).
/// Authenticated with <c>Authorization: Bearer &lt;token&gt;</c>, <c>X-GitHub-Api-Version: 2022-11-28</c>.
/// Sources: https://docs.github.com/en/rest/issues/comments and https://docs.github.com/en/rest/commits/statuses.
/// </summary>
public sealed class GitHubPullRequestClient(HttpClient http, PullRequestApiOptions options) : PullRequestApiClient(http, options)
{
    /// <inheritdoc />
    public override async Task UpsertCommentAsync(PullRequestRef pullRequest, string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        var ours = await FindOwnCommentAsync(
            page => $"{RepoPath()}/issues/{pullRequest.Number}/comments?per_page=100&page={page}",
            (comment, me) => string.Equals(Text(comment?["user"], "login"), me, StringComparison.OrdinalIgnoreCase),
            cancellationToken).ConfigureAwait(false);

        var body = new JsonObject { ["body"] = markdown };
        if (ours is null)
        {
            await SendAsync(HttpMethod.Post, $"{RepoPath()}/issues/{pullRequest.Number}/comments", body, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await SendAsync(HttpMethod.Patch, $"{RepoPath()}/issues/comments/{Segment(ours)}", body, cancellationToken).ConfigureAwait(false);
        }
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
                PreviewStatusState.Success => "success",
                PreviewStatusState.Failure => "failure",
                _ => "error",
            },
            ["context"] = $"gitops/{environment}",
            ["description"] = Cut(description),
        };
        return SendAsync(HttpMethod.Post, $"{RepoPath()}/statuses/{Segment(pullRequest.HeadSha)}", body, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Authenticate(HttpRequestHeaders headers)
    {
        headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.Token);
        headers.Add("X-GitHub-Api-Version", "2022-11-28");
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
    }

    /// <inheritdoc />
    protected override async Task<string> WhoAmIAsync(CancellationToken cancellationToken) =>
        Text(await SendAsync(HttpMethod.Get, "user", null, cancellationToken).ConfigureAwait(false), "login")
        ?? throw new Core.Ports.PullRequestPublishException("GET /user named no login; set the repository's PullRequestIdentity (a GitHub App's is '<app-slug>[bot]').", transient: false);

    private string RepoPath()
    {
        var parts = Options.Repository.Split('/');
        return parts.Length == 2 ? $"repos/{Segment(parts[0])}/{Segment(parts[1])}" : throw new Core.Ports.PullRequestPublishException($"'{Options.Repository}' is not owner/name.", transient: false);
    }
}
