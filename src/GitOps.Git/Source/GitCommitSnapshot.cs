using GitOps.Core.Ports;

namespace GitOps.Git.Source;

/// <summary>The files of one environment at one commit, with the commit's metadata.</summary>
public sealed record GitCommitSnapshot
{
    /// <summary>The full commit SHA, lower case.</summary>
    public required string Sha { get; init; }

    /// <summary>The author name.</summary>
    public required string Author { get; init; }

    /// <summary>The author e-mail.</summary>
    public required string AuthorEmail { get; init; }

    /// <summary>The author time, with the author's UTC offset.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The full commit message (subject and body), without the trailing newline.</summary>
    public required string Message { get; init; }

    /// <summary>
    /// <c>gitops.yaml</c>, <c>gitops.policy.yaml</c> when present, and every file under the environment folder; nothing else.
    /// </summary>
    public required InMemoryFileTree Files { get; init; }
}
