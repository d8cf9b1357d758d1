using System.Text.RegularExpressions;
using GitOps.Core.Manifests.Config;

namespace GitOps.Git.Source;

/// <summary>Validation of the values that reach libgit2 (SHAs, branch names, folders), so none can name a ref or path it should not.</summary>
internal static partial class GitArguments
{
    /// <summary>
    /// Returns the SHA in lower case, or throws when it is not 40 hex digits: the bundled libgit2 is built for SHA-1
    /// repositories only, so a 64-digit (SHA-256) id is refused here rather than failing inside libgit2.
    /// </summary>
    public static string Sha(string sha, string name)
    {
        if (sha is null || !ShaPattern().IsMatch(sha))
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"{name} '{Truncate(sha)}' is not a full commit SHA (40 hex digits; SHA-256 repositories are not supported).");
        }

        return sha.ToLowerInvariant();
    }

    /// <summary>Throws unless <paramref name="branch"/> is a plausible branch name (git check-ref-format rules, no leading '-').</summary>
    public static string Branch(string branch)
    {
        var name = branch?.StartsWith("refs/heads/", StringComparison.Ordinal) == true ? branch["refs/heads/".Length..] : branch;
        if (string.IsNullOrEmpty(name)
            || name.StartsWith('-') || name.StartsWith('/') || name.EndsWith('/') || name.EndsWith('.')
            || name.EndsWith(".lock", StringComparison.Ordinal)
            || name.Contains("..", StringComparison.Ordinal) || name.Contains("//", StringComparison.Ordinal)
            || name.Contains("@{", StringComparison.Ordinal) || name == "@"
            || name.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            || name.Split('/').Any(segment => segment.StartsWith('.')))
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"'{Truncate(branch)}' is not a valid branch name.");
        }

        return name;
    }

    /// <summary>
    /// Normalises an environment folder ("" for the repository root) with the config loader's rule
    /// (<see cref="RepositoryPaths.Normalize"/>): <c>envs/./dev</c>, <c>envs//dev</c> and <c>./envs/dev</c> are all
    /// <c>envs/dev</c>; absolute paths, backslashes, control characters and '..' that climbs out are refused with the
    /// loader's message.
    /// </summary>
    public static string EnvironmentPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RepositoryPaths.Normalize(path, out var error)
            ?? throw new GitSourceException(GitErrorKind.InvalidArgument, $"The environment {error}.", path);
    }

    private static string Truncate(string? value) =>
        value is null ? "(null)" : value.Length <= 100 ? value : value[..100] + "…";

    [GeneratedRegex("^[0-9a-fA-F]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShaPattern();
}
