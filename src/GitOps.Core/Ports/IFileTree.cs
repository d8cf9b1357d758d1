namespace GitOps.Core.Ports;

/// <summary>
/// A read-only tree of files: a local folder, or a git commit read without a working tree.
/// Paths are relative to the tree root and use forward slashes.
/// </summary>
public interface IFileTree
{
    /// <summary>A human-readable name of the tree for messages (a folder path, or <c>repo@sha</c>).</summary>
    string DisplayName { get; }

    /// <summary>All files below <paramref name="folder"/> ("" for the root), recursively, sorted ordinally.</summary>
    IReadOnlyList<string> ListFiles(string folder);

    /// <summary>True when the file exists.</summary>
    bool FileExists(string path);

    /// <summary>The size of a file in bytes, read before its content so limits apply before memory is spent.</summary>
    long GetFileSize(string path);

    /// <summary>The content of a file.</summary>
    ReadOnlyMemory<byte> ReadFile(string path);
}
