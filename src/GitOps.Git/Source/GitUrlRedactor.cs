using System.Text.RegularExpressions;

namespace GitOps.Git.Source;

/// <summary>Removes credentials from URLs and free text before they reach a message or a log.</summary>
public static partial class GitUrlRedactor
{
    /// <summary>
    /// Replaces the user-info part of every URL in <paramref name="text"/> (<c>https://user:secret@host</c> becomes
    /// <c>https://***@host</c>). SCP-like SSH addresses (<c>git@host:path</c>) carry no secret and are kept.
    /// </summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        return UserInfo().Replace(text, "$1***@");
    }

    /// <summary>Redacts URLs and also every occurrence of the given secret values.</summary>
    internal static string Redact(string? text, IEnumerable<string> secrets)
    {
        var result = Redact(text);
        foreach (var secret in secrets)
        {
            if (secret.Length > 0)
            {
                result = result.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return result;
    }

    // scheme://userinfo@ where userinfo has no '/', whitespace or '@'.
    [GeneratedRegex(@"([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
