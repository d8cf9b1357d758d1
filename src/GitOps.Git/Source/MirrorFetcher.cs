using LibGit2Sharp;

namespace GitOps.Git.Source;

/// <summary>
/// One fetch into a bare mirror with libgit2: the token as a custom header, the configured proxy and extra CAs, no
/// tags, and a transfer bounded by <see cref="GitSourceOptions.MaxFetchBytes"/>, the network deadline and the caller's
/// cancellation (libgit2 stops when a progress callback returns false). libgit2 writes the pack to a temporary file,
/// indexes it, renames it into place and only then updates refs, so an interrupted fetch leaves the refs as they were.
/// </summary>
internal sealed class MirrorFetcher(GitSourceOptions options, CertificateAuthorityTrust? authorities)
{
    /// <summary>Fetches <paramref name="refspecs"/> from <paramref name="target"/> into <paramref name="repository"/>.</summary>
    /// <exception cref="GitSourceException">The fetch failed, was refused, exceeded a limit or timed out.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public void Fetch(Repository repository, FetchTarget target, string[] refspecs, bool prune, string action, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + options.NetworkTimeout;
        var stop = StopReason.None;
        long received = 0;
        bool KeepGoing()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stop = StopReason.Cancelled;
            }
            else if (DateTimeOffset.UtcNow > deadline)
            {
                stop = StopReason.Deadline;
            }

            return stop == StopReason.None;
        }

        var fetchOptions = new FetchOptions
        {
            TagFetchMode = TagFetchMode.None,
            Prune = prune,
            CustomHeaders = [.. target.Credentials.Headers],
            OnProgress = _ => KeepGoing(),
            OnTransferProgress = progress =>
            {
                received = progress.ReceivedBytes;
                if (received > options.MaxFetchBytes)
                {
                    stop = StopReason.SizeLimit;
                    return false;
                }

                return KeepGoing();
            },
            ProxyOptions = { ProxyType = options.ProxyUrl is null ? ProxyType.Auto : ProxyType.Specified, Url = options.ProxyUrl },
        };
        if (authorities is not null)
        {
            fetchOptions.CertificateCheck = (certificate, valid, host) =>
                valid || (certificate is CertificateX509 x509 && authorities.IsTrusted(x509.Certificate, host));
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            Commands.Fetch(repository, EnsureRemote(repository, target.Url), refspecs, fetchOptions, logMessage: null);
        }
        catch (LibGit2SharpException e)
        {
            // libgit2's message may hold the URL's user name, so it is never kept as an inner exception: only redacted.
            cancellationToken.ThrowIfCancellationRequested();
            throw stop switch
            {
                StopReason.SizeLimit => new GitSourceException(
                    GitErrorKind.LimitExceeded,
                    $"Could not {action} {target.DisplayUrl}: the fetch received {received} bytes, over the limit of {options.MaxFetchBytes} bytes " +
                    "(GitSourceOptions.MaxFetchBytes, setting GitOps__GitMaxFetchBytes). Raise the limit if the repository really is that large."),
                StopReason.Deadline => new GitSourceException(
                    GitErrorKind.Timeout,
                    $"Could not {action} {target.DisplayUrl}: the fetch ran longer than {options.NetworkTimeout}. Retrying may help."),
                _ => Classify(e, action, target),
            };
        }
    }

    // LibGit2Sharp fetches only from a named remote. The URL holds no credential (GitRemoteUrl refuses passwords), and the
    // remote's default refspec is never used: every fetch names its own.
    private static string EnsureRemote(Repository repository, string url)
    {
        const string Name = "origin";
        var remote = repository.Network.Remotes[Name];
        if (remote is null)
        {
            repository.Network.Remotes.Add(Name, url);
        }
        else if (!string.Equals(remote.Url, url, StringComparison.Ordinal))
        {
            repository.Network.Remotes.Update(Name, r => r.Url = url);
        }

        return Name;
    }

    private static GitSourceException Classify(LibGit2SharpException e, string action, FetchTarget target)
    {
        var detail = GitUrlRedactor.Redact(e.Message, target.Credentials.Secrets).Trim().TrimEnd('.');
        var text = detail.ToLowerInvariant();
        var kind =
            text.Contains("401", StringComparison.Ordinal) || text.Contains("403", StringComparison.Ordinal) || text.Contains("authentication", StringComparison.Ordinal)
                || text.Contains("credentials", StringComparison.Ordinal) ? GitErrorKind.Authentication
            : text.Contains("404", StringComparison.Ordinal) || text.Contains("could not find repository", StringComparison.Ordinal)
                || text.Contains("failed to resolve path", StringComparison.Ordinal) || text.Contains("repository not found", StringComparison.Ordinal)
                || text.Contains("not a git repository", StringComparison.Ordinal) ? GitErrorKind.RepositoryNotFound
            : text.Contains("timed out", StringComparison.Ordinal) || text.Contains("timeout", StringComparison.Ordinal) ? GitErrorKind.Timeout
            : text.Contains("connect", StringComparison.Ordinal) || text.Contains("socket", StringComparison.Ordinal) || text.Contains("resolve address", StringComparison.Ordinal)
                || text.Contains("eof", StringComparison.Ordinal) || text.Contains("ssl", StringComparison.Ordinal) || text.Contains("certificate", StringComparison.Ordinal)
                || text.Contains("network", StringComparison.Ordinal) || text.Contains("http", StringComparison.Ordinal) || text.Contains("stream", StringComparison.Ordinal)
                || text.Contains("closed", StringComparison.Ordinal) || text.Contains("short read", StringComparison.Ordinal) ? GitErrorKind.Network
            : GitErrorKind.GitFailed;
        var advice = kind switch
        {
            GitErrorKind.Authentication => " Check the token and its access to the repository.",
            GitErrorKind.RepositoryNotFound => " Check the URL (and that the credentials can see the repository).",
            _ when text.Contains("certificate", StringComparison.Ordinal) => " Check the server certificate, or set GitSourceOptions.CertificateAuthorityPath for a private CA.",
            _ => " Retrying may help.",
        };
        return new GitSourceException(kind, $"Could not {action} {target.DisplayUrl}: {detail}.{advice}");
    }

    private enum StopReason
    {
        None,
        Cancelled,
        Deadline,
        SizeLimit,
    }
}

/// <summary>Where a fetch goes: the URL libgit2 uses, the redacted form for messages, and the credentials.</summary>
internal sealed record FetchTarget(string Url, string DisplayUrl, GitCredentials Credentials);
