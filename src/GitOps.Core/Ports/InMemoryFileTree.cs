namespace GitOps.Core.Ports;

/// <summary>
/// An <see cref="IFileTree"/> held in memory: what the git source hands over after reading a commit, and what tests build.
/// </summary>
public sealed class InMemoryFileTree : IFileTree
{
    private readonly SortedDictionary<string, ReadOnlyMemory<byte>> _files = new(StringComparer.Ordinal);

    /// <summary>Creates an empty tree.</summary>
    /// <param name="displayName">Name used in messages.</param>
    public InMemoryFileTree(string displayName = "(memory)") => DisplayName = displayName;

    /// <inheritdoc />
    public string DisplayName { get; }

    /// <summary>Adds or replaces a file.</summary>
    public InMemoryFileTree Add(string path, ReadOnlyMemory<byte> content)
    {
        _files[Normalize(path)] = content;
        return this;
    }

    /// <summary>Adds or replaces a UTF-8 text file.</summary>
    public InMemoryFileTree Add(string path, string text) => Add(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string folder)
    {
        var prefix = Normalize(folder);
        if (prefix.Length > 0)
        {
            prefix += "/";
        }

        return _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    /// <inheritdoc />
    public bool FileExists(string path) => _files.ContainsKey(Normalize(path));

    /// <inheritdoc />
    public long GetFileSize(string path) => Get(path).Length;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> ReadFile(string path) => Get(path);

    private ReadOnlyMemory<byte> Get(string path) =>
        _files.TryGetValue(Normalize(path), out var content)
            ? content
            : throw new FileNotFoundException($"No file '{path}' in {DisplayName}.", path);

    private static string Normalize(string path) => path.Replace('\\', '/').Trim('/');
}
