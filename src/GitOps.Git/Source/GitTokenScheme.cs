namespace GitOps.Git.Source;

/// <summary>How an access token is sent to an HTTPS git server.</summary>
public enum GitTokenScheme
{
    /// <summary><c>Authorization: Basic base64(user:token)</c>, the user being <see cref="GitRepositoryOptions.TokenUserName"/> (GitHub, GitLab, Gitea, Bitbucket, Azure DevOps PATs).</summary>
    Basic,

    /// <summary><c>Authorization: Bearer token</c> (Azure DevOps with an Entra ID token, GitHub App tokens).</summary>
    Bearer,
}
