using GitOps.Core.Ports;

namespace GitOps.Core.Manifests.Resources;

/// <summary>Picks the manifest files of an environment folder.</summary>
internal static class ManifestFileSelector
{
    /// <summary>
    /// Every <c>*.yaml</c>/<c>*.yml</c> file under <paramref name="folder"/>, recursively, sorted ordinally, without
    /// reserved names and without dot-files or anything in a dot-folder (<c>.github/</c>, editor folders).
    /// </summary>
    public static IReadOnlyList<string> Select(IFileTree tree, string folder, out int otherFiles)
    {
        var selected = new List<string>();
        otherFiles = 0;
        foreach (var path in tree.ListFiles(folder))
        {
            var segments = path.Split('/');
            var fileName = segments[^1];
            if (segments.Any(s => s.StartsWith('.')) || ManifestLoader.ConfigurationFileNames.Contains(fileName, StringComparer.Ordinal))
            {
                continue;
            }

            if (fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                selected.Add(path);
            }
            else
            {
                otherFiles++;
            }
        }

        selected.Sort(StringComparer.Ordinal);
        return selected;
    }
}
