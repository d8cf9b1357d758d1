namespace GitOps.Git.Source;

/// <summary>Why a git operation failed; <see cref="GitSourceException.IsTransient"/> says whether retrying can help.</summary>
public enum GitErrorKind
{
    /// <summary>The remote could not be reached or dropped the connection. Transient.</summary>
    Network,

    /// <summary>A git process ran longer than the configured timeout and was killed. Transient.</summary>
    Timeout,

    /// <summary>The cache lock of a repository could not be taken before the deadline. Transient.</summary>
    LockTimeout,

    /// <summary>The remote refused the credentials (or none were given). Permanent until the credentials change.</summary>
    Authentication,

    /// <summary>The repository does not exist or is not a git repository. Permanent.</summary>
    RepositoryNotFound,

    /// <summary>The branch does not exist on the remote. Permanent.</summary>
    BranchNotFound,

    /// <summary>The commit is not in the repository (not even after fetching its branch). Permanent.</summary>
    CommitNotFound,

    /// <summary>An argument (URL, branch, SHA, environment path, key path) is not acceptable. Permanent.</summary>
    InvalidArgument,

    /// <summary>A requested path is a symbolic link; links are refused so a commit cannot point outside the repository. Permanent.</summary>
    SymlinkRefused,

    /// <summary>A requested path is a submodule; submodules are not followed. Permanent.</summary>
    SubmoduleRefused,

    /// <summary>A file size, total size or file count limit was exceeded. Permanent.</summary>
    LimitExceeded,

    /// <summary>git failed in a way not recognised above. Treated as transient: the job queue bounds the retries.</summary>
    GitFailed,
}
