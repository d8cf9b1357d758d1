using GitOps.Git.Webhooks;
using GitOps.Hosting.Settings;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// Finds which watched repository a delivery is about, by its <c>owner/name</c> or one of its clone URLs
/// (compared after normalising: lower-case scheme and host, no trailing <c>/</c> or <c>.git</c>).
/// </summary>
public static class RepositoryMatcher
{
    /// <summary>The configured repository the event names, or null.</summary>
    public static RepositorySettings? Match(WebhookEvent webhookEvent, IEnumerable<RepositorySettings> repositories)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var urls = (webhookEvent.CloneUrls ?? []).Select(Normalize).ToHashSet(StringComparer.Ordinal);
        foreach (var repository in repositories)
        {
            var fullName = repository.FullName ?? FullNameOf(repository.Url);
            if (webhookEvent.RepoFullName is not null && string.Equals(fullName, webhookEvent.RepoFullName, StringComparison.OrdinalIgnoreCase))
            {
                return repository;
            }

            if (urls.Contains(Normalize(repository.Url)))
            {
                return repository;
            }
        }

        return null;
    }

    /// <summary>Normalises a clone URL for comparison.</summary>
    public static string Normalize(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        if (trimmed.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^4];
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" or "git")
        {
            var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port;
            return $"{uri.Scheme.ToLowerInvariant()}://{uri.Host.ToLowerInvariant()}{port}{uri.AbsolutePath.TrimEnd('/')}";
        }

        return trimmed;
    }

    /// <summary><c>owner/name</c> from a clone URL's path (https or scp-style ssh).</summary>
    public static string FullNameOf(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme != "file"
            ? uri.AbsolutePath
            : url.Contains(':', StringComparison.Ordinal) ? url[(url.IndexOf(':', StringComparison.Ordinal) + 1)..] : url;
        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        // Azure DevOps: org/project/_git/repo → project/repo, the convention the webhook parser uses.
        var git = path.IndexOf("/_git/", StringComparison.OrdinalIgnoreCase);
        if (git >= 0)
        {
            var project = path[..git].Split('/').Last();
            return $"{project}/{path[(git + 6)..]}";
        }

        return path;
    }
}
