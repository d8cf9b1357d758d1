using System.Text;

namespace GitOps.Git.Source;

/// <summary>
/// The <c>Authorization</c> header for one repository, given to libgit2 as a custom HTTP header
/// (<c>FetchOptions.CustomHeaders</c>), so the token is never in the URL, the mirror's config, a log or a message.
/// </summary>
internal sealed class GitCredentials
{
    private GitCredentials(string[] headers, string[] secrets)
    {
        Headers = headers;
        Secrets = secrets;
    }

    /// <summary>Headers to send with every request of a fetch (none for anonymous access).</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>Every secret value (token, header value, its base64 part) to scrub from messages.</summary>
    public IReadOnlyCollection<string> Secrets { get; }

    /// <summary>Builds the header for <paramref name="repository"/>: Basic with <see cref="GitRepositoryOptions.TokenUserName"/>, or Bearer.</summary>
    public static GitCredentials Create(GitRepositoryOptions repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (string.IsNullOrEmpty(repository.Token))
        {
            return new GitCredentials([], []);
        }

        if (repository.Token.Any(char.IsControl) || repository.TokenUserName.Any(c => char.IsControl(c) || c == ':'))
        {
            // A line break would let the value add headers of its own.
            throw new GitSourceException(GitErrorKind.InvalidArgument, "The token or token user name contains control characters (or the user name a ':'); check the secret.");
        }

        var credential = repository.TokenScheme switch
        {
            GitTokenScheme.Bearer => repository.Token,
            _ => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{repository.TokenUserName}:{repository.Token}")),
        };
        var value = (repository.TokenScheme == GitTokenScheme.Bearer ? "Bearer " : "Basic ") + credential;
        return new GitCredentials(["Authorization: " + value], [repository.Token, value, credential]);
    }
}
