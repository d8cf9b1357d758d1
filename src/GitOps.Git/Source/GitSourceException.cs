namespace GitOps.Git.Source;

/// <summary>
/// A failure of the git source. Messages never hold credentials: URLs are redacted and tokens are scrubbed.
/// </summary>
public sealed class GitSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">A redacted, human-readable message saying what to do.</param>
    /// <param name="path">The repository path concerned, when there is one.</param>
    /// <param name="innerException">The cause, if any.</param>
    public GitSourceException(GitErrorKind kind, string message, string? path = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>What went wrong.</summary>
    public GitErrorKind Kind { get; }

    /// <summary>The path inside the repository the error is about, or null.</summary>
    public string? Path { get; }

    /// <summary>True when retrying the same operation later can succeed (network, timeout, lock contention, unknown git failure).</summary>
    public bool IsTransient => Kind is GitErrorKind.Network or GitErrorKind.Timeout or GitErrorKind.LockTimeout or GitErrorKind.GitFailed;
}
