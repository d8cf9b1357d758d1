namespace GitOps.Cli.Commands;

/// <summary>
/// Who the commands that write the reconciler's storage directly (sync, suspend, resume, rollback) record as the actor:
/// <c>cli:&lt;OS user&gt;</c>. They hold storage credentials, so the OS account that ran them is the caller; the prefix
/// keeps it apart from api callers (<c>api-key:…</c>, <c>entra:…</c>) in the same history. There is no <c>--by</c>:
/// a typed name would be a claim, not an identity.
/// </summary>
internal static class CliActor
{
    /// <summary>The actor of this process.</summary>
    public static string Current => "cli:" + Environment.UserName;
}
