namespace GitOps.Git.Source;

/// <summary>A config repository as configured: the name jobs and records use, where it lives, and its default branch.</summary>
/// <param name="Name">The name used in jobs, environment keys and records.</param>
/// <param name="Options">URL and credentials; never written to a job, record or message.</param>
/// <param name="DefaultBranch">The branch whose <c>gitops.yaml</c> is read when a job names no commit.</param>
public sealed record RegisteredRepository(string Name, GitRepositoryOptions Options, string DefaultBranch)
{
    /// <inheritdoc />
    /// <remarks>Written out so the record's generated form never shows more than <see cref="GitRepositoryOptions.ToString"/> does.</remarks>
    public override string ToString() => $"{Name} ({Options}, default branch {DefaultBranch})";
}
