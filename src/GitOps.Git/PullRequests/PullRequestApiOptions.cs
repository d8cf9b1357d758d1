namespace GitOps.Git.PullRequests;

/// <summary>
/// Where and as whom previews are published for one configured repository. Everything comes from settings: the API
/// base URL, the repository's path there and the token never come from a webhook payload, so a delivery cannot send
/// the token anywhere else.
/// </summary>
public sealed record PullRequestApiOptions
{
    /// <summary>The API base: <c>https://api.github.com</c>, <c>https://gitlab.com/api/v4</c>, <c>https://dev.azure.com/&lt;organisation&gt;</c> (or a server's).</summary>
    public required Uri ApiUrl { get; init; }

    /// <summary>The repository there: GitHub <c>owner/name</c>, GitLab <c>group/sub/project</c>, Azure DevOps <c>project/repository</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>The token (GitHub token, GitLab access token, Azure DevOps PAT). Sent only to <see cref="ApiUrl"/>.</summary>
    public required string Token { get; init; }

    /// <summary>
    /// Who our comments are by (GitHub login such as <c>gitops-bot</c> or <c>my-app[bot]</c>, GitLab user id or
    /// username, Azure DevOps identity id); null to ask the API who the token is (not possible for GitHub App tokens).
    /// </summary>
    public string? Identity { get; init; }

    /// <inheritdoc />
    /// <remarks>Overridden so that the token never reaches a log through the record's generated <c>ToString</c>.</remarks>
    public override string ToString() => $"PullRequestApiOptions {{ ApiUrl = {ApiUrl}, Repository = {Repository}, Token = ***, Identity = {Identity ?? "(ask)"} }}";
}
