namespace GitOps.Core.Runs;

/// <summary>A commit as the run record shows it: who changed what and why.</summary>
/// <param name="Sha">The full SHA.</param>
/// <param name="Author">Author name.</param>
/// <param name="AuthorEmail">Author e-mail, when known.</param>
/// <param name="Time">Author time.</param>
/// <param name="Message">The commit message (first 4 KiB).</param>
public sealed record CommitInfo(string Sha, string Author, string? AuthorEmail, DateTimeOffset Time, string Message)
{
    /// <summary>The first line of the message.</summary>
    public string Subject => Message.Split('\n', 2)[0].TrimEnd('\r');

    /// <summary>The 7-character short SHA.</summary>
    public string ShortSha => Sha.Length > 7 ? Sha[..7] : Sha;
}
