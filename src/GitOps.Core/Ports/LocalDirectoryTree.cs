namespace GitOps.Core.Ports;

/// <summary>
/// An <see cref="IFileTree"/> over a local folder (the CLI's <c>validate PATH</c> and <c>plan PATH</c>).
/// Symbolic links are not followed out of the root: a manifest may not read files outside its repository.
/// </summary>
public sealed class LocalDirectoryTree : IFileTree
{
    private readonly string _root;

    /// <summary>Opens a folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public LocalDirectoryTree(string root)
    {
        _root = System.IO.Path.GetFullPath(root);
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"Folder '{root}' does not exist.");
        }
    }

    /// <inheritdoc />
    public string DisplayName => _root;

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string folder)
    {
        var start = Resolve(folder);
        if (!Directory.Exists(start))
        {
            return [];
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden,
            IgnoreInaccessible = true,
        };
        return Directory.EnumerateFiles(start, "*", options)
            .Select(f => System.IO.Path.GetRelativePath(_root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(s => s.StartsWith('.')))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(Resolve(path));

    /// <inheritdoc />
    public long GetFileSize(string path) => new FileInfo(Resolve(path)).Length;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> ReadFile(string path) => File.ReadAllBytes(Resolve(path));

    private string Resolve(string relative)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(_root, relative.Replace('\\', '/').TrimStart('/')));
        if (!full.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException($"Path '{relative}' leaves the folder '{_root}'.");
        }

        return full;
    }
}
