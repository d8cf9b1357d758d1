namespace GitOps.Git.Source;

/// <summary>Maps git's (C-locale) error text to a <see cref="GitErrorKind"/>.</summary>
internal static class GitErrorClassifier
{
    private static readonly string[] RefusedSha =
    [
        "not our ref",
        "Server does not allow request for unadvertised object",
        "couldn't find remote ref",
        "no such remote ref",
    ];

    private static readonly string[] Authentication =
    [
        "Authentication failed",
        "could not read Username",
        "could not read Password",
        "terminal prompts disabled",
        "Permission denied",
        "The requested URL returned error: 401",
        "The requested URL returned error: 403",
        "Host key verification failed",
        "invalid credentials",
    ];

    private static readonly string[] NotFound =
    [
        "does not appear to be a git repository",
        "Repository not found",
        "The requested URL returned error: 404",
        "not found",
        "No such file or directory",
    ];

    private static readonly string[] Network =
    [
        "Could not resolve host",
        "Could not resolve hostname",
        "Connection refused",
        "Connection timed out",
        "Connection reset",
        "Operation timed out",
        "Failed to connect",
        "early EOF",
        "the remote end hung up unexpectedly",
        "RPC failed",
        "The requested URL returned error: 5",
        "The requested URL returned error: 429",
        "unable to access",
        "Network is unreachable",
        "SSL",
        "TLS",
        "gnutls",
    ];

    /// <summary>True when the remote refused or did not know a requested ref or object.</summary>
    public static bool IsRefusedOrUnknownRef(string stderr) => ContainsAny(stderr, RefusedSha);

    /// <summary>Classifies a failed fetch or ls-remote.</summary>
    public static GitErrorKind ClassifyRemote(string stderr) =>
        stderr.Contains("transport '", StringComparison.Ordinal) && stderr.Contains("not allowed", StringComparison.Ordinal) ? GitErrorKind.InvalidArgument
        : ContainsAny(stderr, Authentication) ? GitErrorKind.Authentication
        : ContainsAny(stderr, NotFound) ? GitErrorKind.RepositoryNotFound
        : ContainsAny(stderr, Network) ? GitErrorKind.Network
        : GitErrorKind.GitFailed;

    private static bool ContainsAny(string text, string[] needles) =>
        needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
}
