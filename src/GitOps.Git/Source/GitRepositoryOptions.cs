namespace GitOps.Git.Source;

/// <summary>
/// One remote repository and how to authenticate to it. The token goes to libgit2 as an HTTP header only, never in the
/// URL, the mirror's config, a log or an exception message.
/// </summary>
public sealed record GitRepositoryOptions
{
    /// <summary>
    /// The clone URL: <c>https://…</c> (or <c>http://…</c>, <c>git://…</c>), <c>file://…</c> or a local path. Must not hold a
    /// password. SSH URLs are refused (see <see cref="GitRemoteUrl"/>).
    /// </summary>
    public required string Url { get; init; }

    /// <summary>An access token for HTTPS, sent as an <c>Authorization</c> header; null for anonymous access.</summary>
    public string? Token { get; init; }

    /// <summary>How <see cref="Token"/> is sent.</summary>
    public GitTokenScheme TokenScheme { get; init; } = GitTokenScheme.Basic;

    /// <summary>The user name paired with the token in the Basic scheme (GitHub accepts <c>x-access-token</c>; any non-empty name works for most servers).</summary>
    public string TokenUserName { get; init; } = "x-access-token";

    /// <inheritdoc />
    /// <remarks>Overridden so that the token never reaches a log through the record's generated <c>ToString</c>.</remarks>
    public override string ToString() =>
        $"GitRepositoryOptions {{ Url = {GitUrlRedactor.Redact(Url)}, Token = {(Token is null ? "(none)" : "***")}, TokenScheme = {TokenScheme} }}";
}
