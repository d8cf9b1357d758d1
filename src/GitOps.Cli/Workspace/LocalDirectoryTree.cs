using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using GitOps.Git.Source;

namespace GitOps.Cli.Workspace;

/// <summary>
/// An <see cref="IFileTree"/> over a local folder (<c>validate PATH</c>, <c>plan PATH</c>, <c>apply PATH</c>), held to
/// the rules of the git reader so that a folder the CLI accepts is one the reconciler accepts once committed (and the PR
/// pipeline runs <c>validate</c> on untrusted branches):
/// <list type="bullet">
/// <item>Every path stays inside the folder: it is made absolute and compared segment-wise, so <c>/x/repo</c> does not
/// contain <c>/x/repo-evil</c>, and <c>../</c> cannot climb out.</item>
/// <item>Nothing below the folder is a symbolic link: a link, to a file or to a folder, is refused with its path rather
/// than followed, since it can point anywhere on the machine (<c>/etc</c>, <c>~/.azure</c>).</item>
/// <item><see cref="ManifestLimits.MaxFileBytes"/>, <see cref="ManifestLimits.MaxEnvironmentBytes"/> (over everything
/// read through one tree) and a file count per listing, as <c>GitOps.Git</c>'s commit reader applies them.</item>
/// </list>
/// Dot-files and dot-folders (<c>.git/</c>, <c>.vscode/</c>) are not listed, as the manifest loader skips them anyway.
/// A refusal is a <see cref="LocalFileRefusedException"/>.
/// </summary>
internal sealed class LocalDirectoryTree : IFileTree
{
    private readonly string _root;
    private readonly string _rootWithSeparator;
    private readonly ManifestLimits _limits;
    private readonly int _maxFileCount;
    private long _bytesRead;

    /// <summary>Opens a folder.</summary>
    /// <param name="root">The folder. It may itself be a link (the user chose it); nothing below it may.</param>
    /// <param name="limits">File and total size limits; the manifest loader's defaults when null.</param>
    /// <param name="maxFileCount">Most files one <see cref="ListFiles"/> may return.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public LocalDirectoryTree(string root, ManifestLimits? limits = null, int maxFileCount = GitSourceOptions.DefaultMaxFileCount)
    {
        ArgumentNullException.ThrowIfNull(root);
        var folder = new DirectoryInfo(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
        if (!folder.Exists)
        {
            throw new DirectoryNotFoundException($"Folder '{root}' does not exist.");
        }

        // Resolved once, so that containment below compares real paths: with no link below the root, the lexical path
        // of every file is its real path.
        _root = folder.LinkTarget is null ? folder.FullName : folder.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        _root = Path.TrimEndingDirectorySeparator(_root);
        _rootWithSeparator = Path.EndsInDirectorySeparator(_root) ? _root : _root + Path.DirectorySeparatorChar;
        _limits = limits ?? ManifestLimits.Default;
        _maxFileCount = maxFileCount;
    }

    /// <inheritdoc />
    public string DisplayName => _root;

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string folder)
    {
        var start = ResolveWithoutLinks(folder, out _);
        if (!Directory.Exists(start))
        {
            return [];
        }

        var files = new List<string>();
        Walk(new DirectoryInfo(start), files);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <inheritdoc />
    public bool FileExists(string path)
    {
        return File.Exists(ResolveWithoutLinks(path, out _));
    }

    /// <inheritdoc />
    public long GetFileSize(string path)
    {
        return new FileInfo(ResolveWithoutLinks(path, out _)).Length;
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> ReadFile(string path)
    {
        var file = new FileInfo(ResolveWithoutLinks(path, out var relative));
        if (file.Length > _limits.MaxFileBytes)
        {
            throw Refused(relative, $"is {file.Length} bytes, over the limit of {_limits.MaxFileBytes} bytes per file");
        }

        // Bounded by the limit, not by the size seen above: a file that grows in between is refused, not read whole.
        using var stream = file.OpenRead();
        using var content = new MemoryStream((int)file.Length);
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (content.Length + read > _limits.MaxFileBytes)
            {
                throw Refused(relative, $"grew while it was read, over the limit of {_limits.MaxFileBytes} bytes per file");
            }

            content.Write(chunk, 0, read);
        }

        var length = content.Length;
        _bytesRead += length;
        if (_bytesRead > _limits.MaxEnvironmentBytes)
        {
            throw Refused(relative, $"brings the files read to {_bytesRead} bytes, over the limit of {_limits.MaxEnvironmentBytes} bytes");
        }

        return content.ToArray();
    }

    private void Walk(DirectoryInfo directory, List<string> files)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
        foreach (var entry in directory.EnumerateFileSystemInfos("*", options))
        {
            if (entry.Name.StartsWith('.') || (OperatingSystem.IsWindows() && entry.Attributes.HasFlag(FileAttributes.Hidden)))
            {
                continue;
            }

            var relative = Relative(entry.FullName);
            if (IsLink(entry))
            {
                throw Refused(relative, "is a symbolic link; links are refused because they can point outside the folder. Put the file itself there");
            }

            if (entry is DirectoryInfo child)
            {
                Walk(child, files);
                continue;
            }

            files.Add(relative);
            if (files.Count > _maxFileCount)
            {
                throw Refused(relative, $"is file number {files.Count}, over the limit of {_maxFileCount} files in one folder");
            }
        }
    }

    // The absolute path of a tree path, after checking that neither it nor a folder on the way to it is a link: a
    // linked parent would carry every path below it out of the folder.
    private string ResolveWithoutLinks(string path, out string relative)
    {
        (var full, relative) = Resolve(path);
        var current = _root;
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (IsLink(info))
            {
                throw Refused(Relative(current), "is a symbolic link; links are refused because they can point outside the folder. Put the file itself there");
            }

            if (!info.Exists && !Directory.Exists(current))
            {
                break;
            }
        }

        return full;
    }

    // The absolute path of a tree path, refused unless it is the root or lies below it.
    private (string Full, string Relative) Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.Replace('\\', '/').TrimStart('/');
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(_root, trimmed)));

        // Segment-wise: a plain prefix test would let "/x/repo" contain "/x/repo-evil".
        if (!string.Equals(full, _root, StringComparison.Ordinal) && !full.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw Refused(path, $"leaves the folder '{_root}'; paths must stay inside it");
        }

        return (full, Relative(full));
    }

    private string Relative(string full) => Path.GetRelativePath(_root, full) is "." ? "" : Path.GetRelativePath(_root, full).Replace('\\', '/');

    private static bool IsLink(FileSystemInfo info) =>
        info.LinkTarget is not null || (info.Exists && info.Attributes.HasFlag(FileAttributes.ReparsePoint));

    private LocalFileRefusedException Refused(string path, string why) => new(path, $"'{path}' in {_root} {why}.");
}
