namespace GitOps.Cli.Workspace;

/// <summary>
/// A path in a local config folder that <see cref="LocalDirectoryTree"/> will not read: a symbolic link, a path that
/// leaves the folder, or a file over a limit. The message names the path and says what to do.
/// </summary>
internal sealed class LocalFileRefusedException(string path, string message) : IOException(message)
{
    /// <summary>The refused path, relative to the folder where it lies inside it.</summary>
    public string Path { get; } = path;
}
