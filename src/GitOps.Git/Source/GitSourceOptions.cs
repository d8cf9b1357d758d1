namespace GitOps.Git.Source;

/// <summary>Settings of a <see cref="GitSourceClient"/>.</summary>
public sealed record GitSourceOptions
{
    /// <summary>The folder holding one bare mirror per repository URL (created when missing).</summary>
    public required string CacheRoot { get; init; }

    /// <summary>The git executable: a name looked up on <c>PATH</c>, or a full path.</summary>
    public string GitExecutable { get; init; } = "git";

    /// <summary>The longest a network operation (fetch, ls-remote) may run before its process tree is killed.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a local operation (ls-tree, cat-file, merge-base) may run before its process tree is killed.</summary>
    public TimeSpan LocalTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait for the lock of a mirror that another worker or process is updating.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Size and count limits for reading a commit.</summary>
    public GitReadLimits Limits { get; init; } = GitReadLimits.Default;

    /// <summary>The git wire protocol version to ask for; null keeps git's default (2). Version 0 servers often refuse fetching by SHA.</summary>
    public int? ProtocolVersion { get; init; }
}
