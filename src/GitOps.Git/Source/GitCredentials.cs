using System.Text;

namespace GitOps.Git.Source;

/// <summary>
/// Turns <see cref="GitRepositoryOptions"/> into environment variables for git. The token travels as an
/// <c>http.&lt;url&gt;.extraHeader</c> set through <c>GIT_CONFIG_COUNT</c>/<c>GIT_CONFIG_KEY_n</c>/<c>GIT_CONFIG_VALUE_n</c>,
/// so it is neither in the URL nor on the command line (where other users could read it from the process list).
/// </summary>
internal sealed class GitCredentials
{
    private GitCredentials(Dictionary<string, string> environment, List<string> secrets)
    {
        Environment = environment;
        Secrets = secrets;
    }

    /// <summary>Variables to add to the git process environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Every secret value (token, header value) to scrub from output and messages.</summary>
    public IReadOnlyCollection<string> Secrets { get; }

    /// <summary>Builds the environment for one repository, adding the given plain configuration entries first.</summary>
    public static GitCredentials Create(GitRepositoryOptions repository, IReadOnlyList<KeyValuePair<string, string>> configuration)
    {
        var config = new List<KeyValuePair<string, string>>(configuration);
        var secrets = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);

        if (!string.IsNullOrEmpty(repository.Token))
        {
            var header = repository.TokenScheme switch
            {
                GitTokenScheme.Bearer => "Bearer " + repository.Token,
                _ => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{repository.TokenUserName}:{repository.Token}")),
            };

            // Scoped to the repository URL so the header is not sent to any other host git may talk to.
            config.Add(new($"http.{repository.Url}.extraHeader", "Authorization: " + header));
            secrets.Add(repository.Token);
            secrets.Add(header);
            secrets.Add(header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        }

        if (!string.IsNullOrEmpty(repository.SshKeyPath))
        {
            environment["GIT_SSH_COMMAND"] = BuildSshCommand(repository);
        }

        environment["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < config.Count; i++)
        {
            environment[$"GIT_CONFIG_KEY_{i}"] = config[i].Key;
            environment[$"GIT_CONFIG_VALUE_{i}"] = config[i].Value;
        }

        return new GitCredentials(environment, secrets);
    }

    private static string BuildSshCommand(GitRepositoryOptions repository)
    {
        // git runs GIT_SSH_COMMAND through a shell, so the paths are single-quoted and quotes in them are refused.
        var parts = new List<string>
        {
            "ssh",
            "-i", Quote(repository.SshKeyPath!, nameof(GitRepositoryOptions.SshKeyPath)),
            "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
        };
        if (!string.IsNullOrEmpty(repository.SshKnownHostsPath))
        {
            parts.Add("-o");
            parts.Add("UserKnownHostsFile=" + Quote(repository.SshKnownHostsPath, nameof(GitRepositoryOptions.SshKnownHostsPath)));
        }

        return string.Join(' ', parts);
    }

    private static string Quote(string path, string optionName)
    {
        if (path.Contains('\'', StringComparison.Ordinal) || path.Any(char.IsControl))
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"{optionName} must not contain quotes or control characters.");
        }

        return "'" + path + "'";
    }
}
