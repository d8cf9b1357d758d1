using GitOps.Core.Ports;

namespace GitOps.Testing;

/// <summary>
/// Reads a folder of the checkout (such as <c>examples/</c>) into an <see cref="InMemoryFileTree"/>, the way the git
/// source hands a commit to Core: Core itself does no file I/O. Dot-folders are left out, as the loader skips them.
/// </summary>
/// <remarks>Compiled into GitOps.Core.Tests too (a linked file), which does not reference this project.</remarks>
public static class FolderTree
{
    /// <summary>Every file below <paramref name="folder"/>, with paths relative to it.</summary>
    public static InMemoryFileTree Read(string folder)
    {
        var tree = new InMemoryFileTree(folder);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (!relative.Split('/').Any(segment => segment.StartsWith('.')))
            {
                tree.Add(relative, File.ReadAllBytes(file));
            }
        }

        return tree;
    }
}
