namespace GitOps.Core.Manifests.Config;

/// <summary>
/// Normalizes an environment <c>path</c> and refuses any that would leave the repository. The one rule for such paths:
/// the config loader and the git reader both call it, so <c>envs/./dev</c>, <c>envs//dev</c> and <c>./envs/dev</c>
/// name the same folder (<c>envs/dev</c>) in <c>validate</c> and in a reconcile.
/// </summary>
public static class RepositoryPaths
{
    /// <summary>
    /// Normalizes to forward slashes without leading, trailing or repeated slashes and without <c>.</c> segments
    /// (<c>""</c> is the root); returns null with a reason for absolute paths and <c>..</c> that climbs out.
    /// </summary>
    /// <param name="path">The path as written in <c>gitops.yaml</c>.</param>
    /// <param name="error">Why the path is refused (starts with "path '…'"), or null.</param>
    /// <returns>The normalized path, or null when refused.</returns>
    public static string? Normalize(string path, out string? error)
    {
        error = null;
        if (path.Contains('\\'))
        {
            error = $"path '{path}' uses '\\'; write forward slashes";
            return null;
        }

        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            error = $"path '{path}' is absolute; write it relative to the repository root";
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        error = $"path '{path}' leaves the repository";
                        return null;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    break;
                default:
                    if (segment.Any(char.IsControl))
                    {
                        error = $"path '{path}' contains a control character";
                        return null;
                    }

                    segments.Add(segment);
                    break;
            }
        }

        return string.Join('/', segments);
    }
}
