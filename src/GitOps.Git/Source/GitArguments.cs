using System.Text.RegularExpressions;

namespace GitOps.Git.Source;

/// <summary>Validation of the values that reach a git command line, so none can be read as an option or escape the repository.</summary>
internal static partial class GitArguments
{
    /// <summary>Returns the SHA in lower case, or throws when it is not 40 (SHA-1) or 64 (SHA-256) hex digits.</summary>
    public static string Sha(string sha, string name)
    {
        if (sha is null || !ShaPattern().IsMatch(sha))
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"{name} '{Truncate(sha)}' is not a full commit SHA (40 or 64 hex digits).");
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
    /// Normalises an environment folder ("" for the repository root) and refuses absolute paths, backslashes,
    /// '.' and '..' segments, empty segments and control characters.
    /// </summary>
    public static string EnvironmentPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.EndsWith('/') ? path[..^1] : path;
        if (trimmed.Length == 0)
        {
            return trimmed;
        }

        string? problem = null;
        if (trimmed.Contains('\\', StringComparison.Ordinal))
        {
            problem = "uses a backslash; use '/' between folders";
        }
        else if (trimmed.StartsWith('/') || (trimmed.Length >= 2 && trimmed[1] == ':'))
        {
            problem = "is absolute; give a folder relative to the repository root";
        }
        else if (trimmed.Any(char.IsControl))
        {
            problem = "contains control characters";
        }
        else if (trimmed.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            problem = "has an empty, '.' or '..' segment; it must stay inside the repository";
        }

        if (problem is not null)
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"Environment path '{Truncate(path)}' {problem}.", path);
        }

        return trimmed;
    }

    private static string Truncate(string? value) =>
        value is null ? "(null)" : value.Length <= 100 ? value : value[..100] + "…";

    [GeneratedRegex("^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex ShaPattern();
}
