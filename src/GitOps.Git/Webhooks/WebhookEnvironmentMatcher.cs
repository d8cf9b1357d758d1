using GitOps.Core.Manifests;

namespace GitOps.Git.Webhooks;

/// <summary>Decides which environments a push concerns. Pure: no I/O.</summary>
public static class WebhookEnvironmentMatcher
{
    /// <summary>
    /// The environments to enqueue for <paramref name="webhookEvent"/>: none unless it is an authentic push to a branch
    /// that still exists (tags and deletions enqueue nothing); then every environment on that branch when the changed
    /// paths are unknown (null), truncated, or the branch was just created (nothing to diff against), or a root
    /// <c>gitops.yaml</c>/<c>gitops.policy.yaml</c> changed; otherwise only environments with a changed file in their folder.
    /// </summary>
    public static IReadOnlyList<EnvironmentDefinition> Match(WebhookEvent webhookEvent, IEnumerable<EnvironmentDefinition> environments)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        ArgumentNullException.ThrowIfNull(environments);
        if (!webhookEvent.Authentic || !webhookEvent.IsPush || webhookEvent.Tag == true || webhookEvent.Deleted == true || webhookEvent.Branch is not { } branch)
        {
            return [];
        }

        var onBranch = environments.Where(e => string.Equals(e.Branch, branch, StringComparison.Ordinal)).ToList();
        var paths = webhookEvent.ChangedPaths;
        if (paths is null || webhookEvent.ChangedPathsTruncated || webhookEvent.Before == WebhookEvent.ZeroSha
            || paths.Any(p => ManifestLoader.ConfigurationFileNames.Contains(p, StringComparer.Ordinal)))
        {
            return onBranch;
        }

        return onBranch.Where(e => paths.Any(p => IsUnder(p, e.Path))).ToList();
    }

    private static bool IsUnder(string path, string folder)
    {
        var normalized = folder.Trim('/');
        return normalized.Length == 0
            || string.Equals(path, normalized, StringComparison.Ordinal)
            || (path.Length > normalized.Length && path[normalized.Length] == '/' && path.StartsWith(normalized, StringComparison.Ordinal));
    }
}
