namespace GitOps.Core.Runs;

/// <summary>
/// Environment keys (<c>repository/environment</c>) and the one rule for the names in them. A repository or environment
/// name becomes a blob folder, a queue payload field and a URL segment, so both follow the same rule, checked where a
/// name is declared (<c>gitops.yaml</c>, the repository settings) and where one arrives (the api, the CLI).
/// </summary>
public static class EnvironmentKeys
{
    /// <summary>The longest repository or environment name.</summary>
    public const int MaxNameLength = 63;

    /// <summary>The name rule in words, for error messages.</summary>
    public const string NameRule = "1-63 lowercase letters, digits and '-', starting and ending with a letter or digit";

    /// <summary>The key of an environment.</summary>
    /// <param name="repository">The configured repository name.</param>
    /// <param name="environment">The environment name.</param>
    /// <returns><c>repository/environment</c>.</returns>
    public static string Of(string repository, string environment) => $"{repository}/{environment}";

    /// <summary>
    /// True when <paramref name="name"/> can name a repository or an environment (<see cref="NameRule"/>). Lowercase
    /// only, so that two names never differ by case alone on a case-insensitive file system or in a storage key.
    /// </summary>
    /// <param name="name">The name to check.</param>
    /// <returns>True when the name is valid.</returns>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength }
        && name[0] != '-' && name[^1] != '-'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
