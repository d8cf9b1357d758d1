namespace GitOps.Hosting.Settings;

/// <summary>
/// One watched config repository (<c>GitOps__Repositories__&lt;name&gt;__*</c>). The name is what jobs and run records
/// carry; the URL and credentials never leave the settings.
/// </summary>
public sealed record RepositorySettings
{
    /// <summary>The repository name used in jobs and records.</summary>
    public required string Name { get; init; }

    /// <summary>The clone URL (https, http or file; SSH is refused at load, see <c>GitRemoteUrl</c>).</summary>
    public required string Url { get; init; }

    /// <summary>The branch read when no environment names one (where <c>gitops.yaml</c> is read for the drift timer).</summary>
    public string DefaultBranch { get; init; } = "main";

    /// <summary>A token for https clones (resolved secret).</summary>
    public string? Token { get; init; }

    /// <summary>How the token is sent: <c>Basic</c> (GitHub, Azure DevOps, Gitea) or <c>Bearer</c>.</summary>
    public string TokenScheme { get; init; } = "Basic";

    /// <summary>The user name paired with the token in Basic auth.</summary>
    public string? TokenUserName { get; init; }

    /// <summary>The webhook secret: HMAC key (GitHub, Gitea, Forgejo, Bitbucket), token (GitLab) or basic-auth password (Azure DevOps).</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>GitLab's signing token (<c>whsec_…</c>), when the hook uses one.</summary>
    public string? WebhookSigningToken { get; init; }

    /// <summary>Azure DevOps basic-auth user name, when the hook sets one.</summary>
    public string? WebhookUser { get; init; }

    /// <summary>
    /// The <c>owner/name</c> the git host reports (GitLab: <c>group/sub/name</c>; Azure DevOps: <c>project/repo</c>),
    /// used to match deliveries; derived from <see cref="Url"/> when empty.
    /// </summary>
    public string? FullName { get; init; }

    /// <summary>
    /// The token previews are published with (comments and statuses on pull requests; resolved secret): GitHub token
    /// with pull-request and commit-status write, GitLab access token with <c>api</c>, Azure DevOps PAT with Code
    /// (read and write) and Code (status). Without it previews are run and recorded but not published.
    /// </summary>
    public string? PullRequestToken { get; init; }

    /// <summary>The git host's API base URL; null: derived from <see cref="Url"/> for github.com, gitlab.com and dev.azure.com.</summary>
    public Uri? PullRequestApiUrl { get; init; }

    /// <summary>Who our comments are by (GitHub login, GitLab user id or name, Azure DevOps identity id); null: asked of the API.</summary>
    public string? PullRequestIdentity { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Url})";
}
