using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GitOps.Core.Previews;

namespace GitOps.Git.PullRequests;

/// <summary>
/// Publishes previews on GitLab through the REST API v4: the comment is a merge request note
/// (<c>GET/POST /projects/{id}/merge_requests/{iid}/notes</c>, <c>PUT /projects/{id}/merge_requests/{iid}/notes/{note_id}</c>),
/// each environment a commit status (<c>POST /projects/{id}/statuses/{sha}</c>, name <c>gitops/&lt;env&gt;</c>), the project
/// id being its URL-encoded path. Authenticated with the <c>PRIVATE-TOKEN</c> header.
/// Sources: https://docs.gitlab.com/api/notes/#merge-requests and https://docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit.
/// </summary>
public sealed class GitLabMergeRequestClient(HttpClient http, PullRequestApiOptions options) : PullRequestApiClient(http, options)
{
    /// <inheritdoc />
    public override async Task UpsertCommentAsync(PullRequestRef pullRequest, string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        var ours = await FindOwnCommentAsync(
            page => $"{Project()}/merge_requests/{pullRequest.Number}/notes?sort=asc&order_by=created_at&per_page=100&page={page}",
            (note, me) => IsMe(note?["author"], me),
            cancellationToken).ConfigureAwait(false);

        var body = new JsonObject { ["body"] = markdown };
        if (ours is null)
        {
            await SendAsync(HttpMethod.Post, $"{Project()}/merge_requests/{pullRequest.Number}/notes", body, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await SendAsync(HttpMethod.Put, $"{Project()}/merge_requests/{pullRequest.Number}/notes/{Segment(ours)}", body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override Task SetStatusAsync(PullRequestRef pullRequest, string environment, PreviewStatusState state, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        var body = new JsonObject
        {
            // GitLab has no "error" state: a preview that could not run fails the status too.
            ["state"] = state switch
            {
                PreviewStatusState.Pending => "pending",
                PreviewStatusState.Success => "success",
                _ => "failed",
            },
            ["name"] = $"gitops/{environment}",
            ["description"] = Cut(description, 255),
        };
        return SendAsync(HttpMethod.Post, $"{Project()}/statuses/{Segment(pullRequest.HeadSha)}", body, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Authenticate(HttpRequestHeaders headers) => headers.Add("PRIVATE-TOKEN", Options.Token);

    /// <inheritdoc />
    protected override async Task<string> WhoAmIAsync(CancellationToken cancellationToken) =>
        Id(await SendAsync(HttpMethod.Get, "user", null, cancellationToken).ConfigureAwait(false), "id")
        ?? throw new Core.Ports.PullRequestPublishException("GET /user named no id; set the repository's PullRequestIdentity.", transient: false);

    // The identity may be given as the user's id or username.
    private static bool IsMe(JsonNode? author, string me) =>
        string.Equals(Id(author, "id"), me, StringComparison.Ordinal) || string.Equals(Text(author, "username"), me, StringComparison.OrdinalIgnoreCase);

    private string Project() => $"projects/{Segment(Options.Repository)}";
}
