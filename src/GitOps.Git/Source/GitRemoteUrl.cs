namespace GitOps.Git.Source;

/// <summary>
/// Which repository URLs the git source accepts: <c>https</c>, <c>http</c>, <c>git</c>, <c>file</c> and absolute local
/// paths. SSH (<c>ssh://</c>, <c>git+ssh://</c> and scp-like <c>git@host:org/repo.git</c>) is refused: libgit2's
/// official native binaries run an external <c>ssh</c> program for it, which Linux Functions workers do not have, so
/// an SSH repository would fail on every fetch instead of at start-up. Settings validation calls
/// <see cref="Validate"/> so the refusal (with the HTTPS URL to use instead) comes when the app starts.
/// </summary>
public static class GitRemoteUrl
{
    private static readonly string[] s_schemes = ["https", "http", "git", "file"];

    /// <summary>Returns why <paramref name="url"/> cannot be used (redacted, with the alternative), or null when it can.</summary>
    /// <param name="url">The configured URL.</param>
    /// <returns>A message naming the problem and what to use instead, or null.</returns>
    public static string? Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.StartsWith('-') || url.Any(char.IsControl))
        {
            return $"Repository URL '{GitUrlRedactor.Redact(url)}' is empty or not acceptable.";
        }

        if (IsLocalPath(url))
        {
            return null;
        }

        var transport = url.IndexOf("::", StringComparison.Ordinal);
        if (transport > 0 && !url[..transport].Contains('/', StringComparison.Ordinal))
        {
            // git's "<transport>::<address>" form ("ext::sh -c …" runs a command).
            return $"Repository URL '{GitUrlRedactor.Redact(url)}' uses the '{url[..transport]}' transport; only https, http, git and file URLs are read.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !url.Contains("://", StringComparison.Ordinal))
        {
            return ScpLikeHttps(url) is { } https
                ? SshRefused(url, https)
                : $"Repository URL '{GitUrlRedactor.Redact(url)}' is not a URL; use https://host/org/repo.git (or file:// for a local repository).";
        }

        var scheme = uri.Scheme.ToLowerInvariant();
        if (scheme is "ssh" or "git+ssh" or "ssh+git")
        {
            return SshRefused(url, $"https://{uri.Host}{uri.AbsolutePath}");
        }

        if (!s_schemes.Contains(scheme))
        {
            return $"Repository URL '{GitUrlRedactor.Redact(url)}' uses the '{uri.Scheme}' transport; only https, http, git and file URLs are read.";
        }

        if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return $"Repository URL '{GitUrlRedactor.Redact(url)}' holds a password; remove it from the URL and set the repository's token instead.";
        }

        return null;
    }

    private static bool IsLocalPath(string url) =>
        url.StartsWith('/') || (url.Length >= 3 && char.IsAsciiLetter(url[0]) && url[1] == ':' && url[2] is '\\' or '/');

    // "git@github.com:org/repo.git" or "github.com:org/repo.git": a host, a ':' before any '/', then a path.
    private static string? ScpLikeHttps(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        if (colon <= 0 || (slash >= 0 && slash < colon) || colon == url.Length - 1)
        {
            return null;
        }

        var host = url[..colon];
        host = host[(host.LastIndexOf('@') + 1)..];
        return host.Length == 0 ? null : $"https://{host}/{url[(colon + 1)..].TrimStart('/')}";
    }

    private static string SshRefused(string url, string https) =>
        $"Repository URL '{GitUrlRedactor.Redact(url)}' uses SSH, which is not supported (the native git library needs an ssh program that Functions workers lack). " +
        $"Use the HTTPS URL, e.g. '{GitUrlRedactor.Redact(https)}', with a token.";
}
