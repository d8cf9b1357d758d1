using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using LibGit2Sharp;

namespace GitOps.Git.Source;

/// <summary>
/// Reads the root config files and one folder at a commit straight from the object database (no working tree).
/// Modes and sizes are checked from tree entries and object headers before any content is read: symbolic links and
/// submodules inside the requested paths are refused, and so is anything over the file size, total size or file count
/// limits.
/// </summary>
internal sealed class CommitReader(ManifestLimits limits, int maxFileCount)
{
    /// <summary>Reads the files into a tree named <paramref name="displayName"/>.</summary>
    /// <param name="repository">The mirror.</param>
    /// <param name="commit">The commit, present in the mirror.</param>
    /// <param name="folder">A normalised folder ("" for everything), or null for the root config files only.</param>
    /// <param name="displayName">The name of the resulting tree.</param>
    /// <exception cref="GitSourceException">A requested path is a symlink, a submodule or a file where a folder is expected, or a limit is exceeded.</exception>
    public InMemoryFileTree Read(Repository repository, Commit commit, string? folder, string displayName)
    {
        var selected = new List<(string Path, Blob Blob)>();
        long total = 0;
        void Add(string path, TreeEntry entry)
        {
            if (entry.Mode == Mode.SymbolicLink)
            {
                throw Refused(GitErrorKind.SymlinkRefused, path, "is a symbolic link; links are refused because they can point outside the repository. Commit the file itself");
            }

            if (entry.Mode == Mode.GitLink || entry.TargetType != TreeEntryTargetType.Blob)
            {
                throw Refused(GitErrorKind.SubmoduleRefused, path, "is a submodule; submodules are not followed. Copy the manifests into the repository");
            }

            var size = repository.ObjectDatabase.RetrieveObjectMetadata(entry.Target.Id).Size;
            if (size > limits.MaxFileBytes)
            {
                throw Refused(GitErrorKind.LimitExceeded, path, $"is {size} bytes, over the limit of {limits.MaxFileBytes} bytes per file");
            }

            total += size;
            if (total > limits.MaxEnvironmentBytes)
            {
                throw Refused(GitErrorKind.LimitExceeded, path, $"brings the files read to {total} bytes, over the limit of {limits.MaxEnvironmentBytes} bytes per environment");
            }

            selected.Add((path, (Blob)entry.Target));
            if (selected.Count > maxFileCount)
            {
                throw Refused(GitErrorKind.LimitExceeded, path, $"is file number {selected.Count}, over the limit of {maxFileCount} files per environment");
            }
        }

        var root = commit.Tree;
        if (folder is { Length: > 0 })
        {
            switch (root[folder])
            {
                case null:
                    break;
                case { Mode: Mode.SymbolicLink }:
                    throw Refused(GitErrorKind.SymlinkRefused, folder, "is a symbolic link; environment folders must be real folders");
                case { Mode: Mode.GitLink }:
                    throw Refused(GitErrorKind.SubmoduleRefused, folder, "is a submodule; submodules are not followed");
                case { TargetType: TreeEntryTargetType.Tree } entry:
                    Walk((Tree)entry.Target, folder + "/", Add);
                    break;
                default:
                    throw Refused(GitErrorKind.InvalidArgument, folder, "is a file; an environment path must be a folder");
            }
        }
        else if (folder is not null)
        {
            Walk(root, "", (path, entry) =>
            {
                if (!ManifestLoader.ConfigurationFileNames.Contains(path))
                {
                    Add(path, entry);
                }
            });
        }

        foreach (var name in ManifestLoader.ConfigurationFileNames)
        {
            // A folder of that name is not the config file and is skipped, as git ls-tree -r would list only its contents.
            if (root[name] is { } entry && entry.TargetType != TreeEntryTargetType.Tree)
            {
                Add(name, entry);
            }
        }

        var files = new InMemoryFileTree(displayName);
        foreach (var (path, blob) in selected)
        {
            using var stream = blob.GetContentStream();
            var content = new byte[blob.Size];
            stream.ReadExactly(content);
            files.Add(path, content);
        }

        return files;
    }

    private static void Walk(Tree tree, string prefix, Action<string, TreeEntry> visit)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            if (entry.TargetType == TreeEntryTargetType.Tree && entry.Mode == Mode.Directory)
            {
                Walk((Tree)entry.Target, path + "/", visit);
            }
            else
            {
                visit(path, entry);
            }
        }
    }

    private static GitSourceException Refused(GitErrorKind kind, string path, string why) => new(kind, $"'{path}' {why}.", path);
}
