using GitOps.Core.Ports;
using GitOps.Git.PullRequests;
using GitOps.Hosting.Settings;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The publisher of a repository's previews, built from its settings only: the API URL (<c>PullRequestApiUrl</c>, or
/// the public host's API for a github.com, gitlab.com or dev.azure.com clone URL), the repository's path there
/// (<c>FullName</c>, or the clone URL's) and <c>PullRequestToken</c>. Nothing comes from a webhook payload.
/// </summary>
/// <param name="settings">The repositories.</param>
/// <param name="http">An HTTP client that does not follow redirects.</param>
public sealed class PullRequestPublishers(GitOpsSettings settings, HttpClient http)
{
    /// <summary>The publisher for a repository's pull requests on <paramref name="provider"/>; null when the repository has no token or no API URL can be known.</summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="provider">The git host's wire name.</param>
    public IPullRequestPublisher? For(string repository, string provider)
    {
        if (settings.FindRepository(repository) is not { PullRequestToken: { } token } configured)
        {
            return null;
        }

        var fullName = configured.FullName ?? RepositoryMatcher.FullNameOf(configured.Url);
        var api = configured.PullRequestApiUrl ?? DefaultApi(configured.Url, provider);
        if (api is null)
        {
            return null;
        }

        var options = new PullRequestApiOptions { ApiUrl = api, Repository = fullName, Token = token, Identity = configured.PullRequestIdentity };
        return provider switch
        {
            "github" => new GitHubPullRequestClient(http, options),
            "gitlab" => new GitLabMergeRequestClient(http, options),
            "azure-devops" => new AzureDevOpsPullRequestClient(http, options),
            _ => null,
        };
    }

    /// <summary>The public API of a clone URL's host, or null for any other host (set <c>PullRequestApiUrl</c> then).</summary>
    public static Uri? DefaultApi(string cloneUrl, string provider)
    {
        if (!Uri.TryCreate(cloneUrl, UriKind.Absolute, out var url) || url.Scheme != "https")
        {
            return null;
        }

        return (provider, url.Host.ToLowerInvariant()) switch
        {
            ("github", "github.com") => new Uri("https://api.github.com/"),
            ("gitlab", "gitlab.com") => new Uri("https://gitlab.com/api/v4/"),
            ("azure-devops", "dev.azure.com") when url.AbsolutePath.Trim('/').Split('/') is { Length: > 0 } path => new Uri($"https://dev.azure.com/{path[0]}/"),
            _ => null,
        };
    }
}
