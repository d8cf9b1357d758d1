namespace GitOps.Git.Webhooks;

/// <summary>The git hosts whose push webhooks are understood.</summary>
public enum WebhookProvider
{
    /// <summary>GitHub (github.com and GitHub Enterprise Server).</summary>
    GitHub,

    /// <summary>GitLab (gitlab.com and self-managed).</summary>
    GitLab,

    /// <summary>Azure DevOps service hooks (Web Hooks consumer).</summary>
    AzureDevOps,

    /// <summary>Gitea.</summary>
    Gitea,

    /// <summary>Forgejo (a Gitea fork; sends Gitea headers too).</summary>
    Forgejo,

    /// <summary>Bitbucket Cloud.</summary>
    Bitbucket,
}

/// <summary>The wire names of <see cref="WebhookProvider"/> values (as used in delivery records and JSON output).</summary>
public static class WebhookProviderNames
{
    /// <summary>The lower-case name: <c>github</c>, <c>gitlab</c>, <c>azure-devops</c>, <c>gitea</c>, <c>forgejo</c>, <c>bitbucket</c>.</summary>
    public static string ToWireName(this WebhookProvider provider) => provider switch
    {
        WebhookProvider.GitHub => "github",
        WebhookProvider.GitLab => "gitlab",
        WebhookProvider.AzureDevOps => "azure-devops",
        WebhookProvider.Gitea => "gitea",
        WebhookProvider.Forgejo => "forgejo",
        WebhookProvider.Bitbucket => "bitbucket",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown webhook provider."),
    };

    /// <summary>Parses a wire name (case-insensitive); false when unknown.</summary>
    public static bool TryParse(string? name, out WebhookProvider provider)
    {
        foreach (var candidate in Enum.GetValues<WebhookProvider>())
        {
            if (string.Equals(candidate.ToWireName(), name, StringComparison.OrdinalIgnoreCase))
            {
                provider = candidate;
                return true;
            }
        }

        provider = default;
        return false;
    }
}
