namespace GitOps.Git.Source;

/// <summary>
/// One remote repository and how to authenticate to it. Credentials go to git through environment variables only,
/// never in the URL, on the command line, in a log or in an exception message.
/// </summary>
public sealed record GitRepositoryOptions
{
    /// <summary>The clone URL: <c>https://…</c>, <c>ssh://…</c>, <c>git@host:path</c>, <c>file://…</c> or a local path. Must not hold a password.</summary>
    public required string Url { get; init; }

    /// <summary>An access token for HTTPS, sent as an <c>Authorization</c> header; null for anonymous or SSH access.</summary>
    public string? Token { get; init; }

    /// <summary>How <see cref="Token"/> is sent.</summary>
    public GitTokenScheme TokenScheme { get; init; } = GitTokenScheme.Basic;

    /// <summary>The user name paired with the token in the Basic scheme (GitHub accepts <c>x-access-token</c>; any non-empty name works for most servers).</summary>
    public string TokenUserName { get; init; } = "x-access-token";

    /// <summary>A private key file for SSH URLs; only this key is offered (<c>IdentitiesOnly=yes</c>).</summary>
    public string? SshKeyPath { get; init; }

    /// <summary>A <c>known_hosts</c> file for SSH; null uses the user's default file. Host keys are always checked.</summary>
    public string? SshKnownHostsPath { get; init; }

    /// <inheritdoc />
    /// <remarks>Overridden so that the token never reaches a log through the record's generated <c>ToString</c>.</remarks>
    public override string ToString() =>
        $"GitRepositoryOptions {{ Url = {GitUrlRedactor.Redact(Url)}, Token = {(Token is null ? "(none)" : "***")}, TokenScheme = {TokenScheme}, SshKeyPath = {SshKeyPath ?? "(none)"} }}";
}
