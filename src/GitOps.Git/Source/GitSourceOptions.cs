using GitOps.Core.Manifests;

namespace GitOps.Git.Source;

/// <summary>Settings of a <see cref="GitSourceClient"/>.</summary>
public sealed record GitSourceOptions
{
    /// <summary>The default <see cref="MaxFetchBytes"/>: 512 MiB.</summary>
    public const long DefaultMaxFetchBytes = 512L * 1024 * 1024;

    /// <summary>The default <see cref="MaxCacheBytes"/>: 2 GiB.</summary>
    public const long DefaultMaxCacheBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>The default <see cref="MaxFileCount"/>, which the CLI's local folder reader applies too.</summary>
    public const int DefaultMaxFileCount = 10_000;

    /// <summary>The folder holding one bare mirror per repository URL (created when missing).</summary>
    public required string CacheRoot { get; init; }

    /// <summary>
    /// The longest one fetch may run; checked on every progress report of the transfer. It is also libgit2's socket
    /// timeout (connect and each read), which is process-wide: the smallest value any client was given applies.
    /// </summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for the lock of a mirror that another worker or process is updating.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most bytes one fetch may receive (<c>GitOps__GitMaxFetchBytes</c>); a bigger pack is abandoned with a
    /// <see cref="GitErrorKind.LimitExceeded"/> error naming this limit, and the mirror stays as it was.
    /// </summary>
    public long MaxFetchBytes { get; init; } = DefaultMaxFetchBytes;

    /// <summary>
    /// The size the whole cache should stay within (<c>GitOps__GitCacheMaxBytes</c>). After a fetch, the least recently
    /// used mirrors are deleted until it fits; a mirror being read or fetched is never deleted.
    /// </summary>
    public long MaxCacheBytes { get; init; } = DefaultMaxCacheBytes;

    /// <summary>File size and environment size limits for reading a commit (the manifest loader's, so both agree).</summary>
    public ManifestLimits Limits { get; init; } = ManifestLimits.Default;

    /// <summary>Most files read for one environment (the root config files included).</summary>
    public int MaxFileCount { get; init; } = DefaultMaxFileCount;

    /// <summary>
    /// PEM file of extra certificate authorities trusted for HTTPS remotes, for servers with a private CA; a server
    /// certificate that the system does not trust is accepted when it chains to one of these and matches the host.
    /// </summary>
    public string? CertificateAuthorityPath { get; init; }

    /// <summary>
    /// The proxy for HTTPS remotes (tunnelled with <c>CONNECT</c>), e.g. <c>http://proxy:3128</c>. Null uses libgit2's
    /// automatic detection (<c>https_proxy</c>, <c>http_proxy</c> and <c>no_proxy</c> environment variables). libgit2 1.9
    /// fetches a plain <c>http://</c> remote directly.
    /// </summary>
    public string? ProxyUrl { get; init; }
}
