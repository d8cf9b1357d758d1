using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Git.Source;

/// <summary>
/// The configured config repositories by name. Jobs, environment keys and run records carry only the name; the URL
/// and credentials stay here. Names follow the environment-name rule (<see cref="EnvironmentKeys.IsValidName"/>)
/// because they name blobs.
/// </summary>
public sealed class RepositoryRegistry
{
    /// <summary>The default branch when none is configured.</summary>
    public const string DefaultBranchName = "main";

    private readonly Dictionary<string, RegisteredRepository> _repositories = new(StringComparer.Ordinal);

    /// <summary>The configured names, sorted.</summary>
    public IReadOnlyList<string> Names => _repositories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Adds a repository.</summary>
    /// <param name="name">The name jobs use, e.g. <c>platform</c>.</param>
    /// <param name="options">URL and credentials.</param>
    /// <param name="defaultBranch">The default branch; <c>main</c> when null.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">The name is invalid or already used, or the branch is not a valid branch name.</exception>
    public RepositoryRegistry Add(string name, GitRepositoryOptions options, string? defaultBranch = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (!EnvironmentKeys.IsValidName(name))
        {
            throw new ArgumentException(
                $"Repository name '{(name.Length <= 80 ? name : name[..80] + "…")}' is not valid: use {EnvironmentKeys.NameRule} (it names blobs).",
                nameof(name));
        }

        string branch;
        try
        {
            branch = GitArguments.Branch(defaultBranch ?? DefaultBranchName);
        }
        catch (GitSourceException ex)
        {
            throw new ArgumentException($"Repository '{name}': {ex.Message}", nameof(defaultBranch), ex);
        }

        if (!_repositories.TryAdd(name, new RegisteredRepository(name, options, branch)))
        {
            throw new ArgumentException($"Repository '{name}' is configured twice.", nameof(name));
        }

        return this;
    }

    /// <summary>Finds a repository by name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="repository">The repository, when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredRepository? repository) =>
        _repositories.TryGetValue(name ?? string.Empty, out repository);

    /// <summary>Finds a repository by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The repository.</returns>
    /// <exception cref="ConfigSourceException">No repository has that name (not transient); the message lists the configured names.</exception>
    public RegisteredRepository Get(string name)
    {
        if (TryGet(name, out var repository))
        {
            return repository;
        }

        var configured = _repositories.Count == 0 ? "none are configured" : "configured: " + string.Join(", ", Names);
        throw new ConfigSourceException(
            $"Repository '{name}' is not configured ({configured}). Add it to the reconciler's repository settings, or fix the name in the job.",
            transient: false);
    }
}
