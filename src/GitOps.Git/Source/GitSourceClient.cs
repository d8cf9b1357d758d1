using GitOps.Core.Ports;
using GitOps.Core.Runs;
using LibGit2Sharp;

namespace GitOps.Git.Source;

/// <summary>
/// Reads declared state from git repositories with libgit2 (LibGit2Sharp): no git program is needed at run time. One
/// full bare mirror per repository URL under <see cref="GitSourceOptions.CacheRoot"/>, fetched by branch or by SHA
/// (falling back to the branch and then every branch when the server refuses unadvertised objects), read at a commit
/// straight from the object database. Thread-safe; several clients and processes may share one cache.
/// </summary>
public class GitSourceClient
{
    /// <summary>The longest commit message <see cref="GetCommitAsync"/> returns, in characters (4 KiB); run records keep no more.</summary>
    public const int MaxCommitMessageLength = 4096;

    private readonly GitSourceOptions _options;
    private readonly MirrorLock _lock = new();
    private readonly MirrorCache _cache;
    private readonly MirrorFetcher _fetcher;
    private readonly CommitReader _reader;

    /// <summary>Creates a client.</summary>
    /// <exception cref="GitSourceException">The certificate authority bundle cannot be read.</exception>
    public GitSourceClient(GitSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.CacheRoot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxFetchBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxCacheBytes);
        _options = options;
        _cache = new MirrorCache(options, _lock);
        _fetcher = new MirrorFetcher(options, options.CertificateAuthorityPath is { } ca ? CertificateAuthorityTrust.Load(ca) : null);
        _reader = new CommitReader(options.Limits, options.MaxFileCount);
        LibGit2Environment.Initialize();
        LibGit2Timeouts.EnsureAtMost(options.NetworkTimeout);
    }

    /// <summary>For mocking.</summary>
    protected GitSourceClient()
    {
        _options = new GitSourceOptions { CacheRoot = Path.GetTempPath() };
        _cache = new MirrorCache(_options, _lock);
        _fetcher = new MirrorFetcher(_options, null);
        _reader = new CommitReader(_options.Limits, _options.MaxFileCount);
    }

    /// <summary>
    /// Makes a commit available in the local mirror. With <paramref name="sha"/> null, fetches the tip of
    /// <paramref name="branch"/>; otherwise fetches that SHA (by SHA, falling back to fetching the branch and then every
    /// branch when the server refuses unadvertised objects), so a commit that is only on another branch still resolves.
    /// Does nothing when the commit is already there.
    /// </summary>
    /// <returns>The full SHA now in the mirror.</returns>
    /// <exception cref="GitSourceException">The branch or commit does not exist, or the remote failed.</exception>
    public virtual async Task<string> FetchAsync(GitRepositoryOptions repository, string branch, string? sha = null, CancellationToken cancellationToken = default)
    {
        var target = CreateTarget(repository);
        var name = GitArguments.Branch(branch);
        if (sha is not null)
        {
            var commit = GitArguments.Sha(sha, nameof(sha));
            if (!await EnsureCommitAsync(target, commit, name, cancellationToken).ConfigureAwait(false))
            {
                throw new GitSourceException(GitErrorKind.CommitNotFound, $"Commit {commit} is not in {target.DisplayUrl} (not on branch '{name}' nor any other). Check the SHA, or whether the branch was force-pushed or deleted.");
            }

            return commit;
        }

        return await WithMirrorForFetchAsync(target, repo =>
        {
            FetchBranch(repo, target, name, cancellationToken);
            return repo.Refs[$"refs/heads/{name}"]?.ResolveToDirectReference()?.TargetIdentifier
                ?? throw new GitSourceException(GitErrorKind.BranchNotFound, $"Branch '{name}' does not exist in {target.DisplayUrl}.");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the root config files (<c>gitops.yaml</c>, and <c>gitops.policy.yaml</c> when present) and, when
    /// <paramref name="environmentPath"/> is not null, every file under it, at commit <paramref name="sha"/>, without a
    /// working tree. The commit is fetched first when missing.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="sha">The full commit SHA.</param>
    /// <param name="environmentPath">The environment folder ("" for the whole repository), or null for the root config files only; normalised with the config loader's rule.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The files, named <c>&lt;redacted url&gt;@&lt;sha&gt;</c>.</returns>
    /// <exception cref="GitSourceException">A requested path is a symlink or submodule, a limit is exceeded, the path is unsafe, or the commit is missing.</exception>
    public virtual async Task<InMemoryFileTree> ReadFilesAsync(GitRepositoryOptions repository, string sha, string? environmentPath, CancellationToken cancellationToken = default)
    {
        var target = CreateTarget(repository);
        var commit = GitArguments.Sha(sha, nameof(sha));
        var folder = environmentPath is null ? null : GitArguments.EnvironmentPath(environmentPath);
        await RequireCommitAsync(target, commit, cancellationToken).ConfigureAwait(false);
        return await WithMirrorForReadAsync(target, repo =>
        {
            var mirror = Opened(repo, target);
            return _reader.Read(mirror, mirror.Lookup<Commit>(commit), folder, $"{target.DisplayUrl}@{commit[..12]}");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The author, e-mail, author time and message of a commit (the message cut to <see cref="MaxCommitMessageLength"/>
    /// characters), fetching the commit first when the mirror does not have it.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="sha">The full commit SHA.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The commit as a run record shows it.</returns>
    /// <exception cref="GitSourceException">The commit does not exist, or the remote failed.</exception>
    public virtual async Task<CommitInfo> GetCommitAsync(GitRepositoryOptions repository, string sha, CancellationToken cancellationToken = default)
    {
        var target = CreateTarget(repository);
        var commit = GitArguments.Sha(sha, nameof(sha));
        await RequireCommitAsync(target, commit, cancellationToken).ConfigureAwait(false);
        return await WithMirrorForReadAsync(target, repo =>
        {
            var found = Opened(repo, target).Lookup<Commit>(commit);
            var message = found.Message.TrimEnd('\n');
            return new CommitInfo(
                commit,
                found.Author.Name,
                found.Author.Email.Length == 0 ? null : found.Author.Email,
                found.Author.When,
                message.Length <= MaxCommitMessageLength ? message : message[..MaxCommitMessageLength]);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when <paramref name="olderSha"/> is an ancestor of (or equal to) <paramref name="newerSha"/>. Commits missing
    /// from the mirror are fetched first. A missing <paramref name="olderSha"/> (no branch has it, or it was only on a
    /// deleted branch) is not an ancestor of anything: the answer is false, not an error.
    /// </summary>
    /// <exception cref="GitSourceException"><paramref name="newerSha"/> does not exist, or the remote or the cache failed.</exception>
    public virtual async Task<bool> IsAncestorAsync(GitRepositoryOptions repository, string olderSha, string newerSha, CancellationToken cancellationToken = default)
    {
        var target = CreateTarget(repository);
        var older = GitArguments.Sha(olderSha, nameof(olderSha));
        var newer = GitArguments.Sha(newerSha, nameof(newerSha));
        await RequireCommitAsync(target, newer, cancellationToken).ConfigureAwait(false);
        if (!await EnsureCommitAsync(target, older, null, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        return await WithMirrorForReadAsync(target, repo =>
        {
            if (older == newer)
            {
                return true;
            }

            var mirror = Opened(repo, target);
            return mirror.ObjectDatabase.FindMergeBase(mirror.Lookup<Commit>(older), mirror.Lookup<Commit>(newer))?.Sha == older;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches a pull request's ref of the configured repository into the mirror (as <c>refs/gitops/pulls/N/…</c>), from
    /// the configured URL with its credentials, and says whether <paramref name="headSha"/> arrived with it. The ref is
    /// the host's own: GitHub and Gitea <c>refs/pull/N/head</c>, GitLab <c>refs/merge-requests/N/head</c>, Azure DevOps
    /// <c>refs/pull/N/merge</c> (whose second parent is the source commit), so a head that lives in a fork is reached
    /// without ever contacting the fork.
    /// </summary>
    /// <param name="repository">The configured repository.</param>
    /// <param name="provider">The git host's wire name (<c>github</c>, <c>gitlab</c>, <c>azure-devops</c>, <c>gitea</c>…).</param>
    /// <param name="number">The pull request's number.</param>
    /// <param name="headSha">The head commit the event named.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>True when the head commit is in the mirror after the fetch.</returns>
    /// <exception cref="GitSourceException">The remote failed (network, authentication, limits).</exception>
    public virtual async Task<bool> FetchPullRequestAsync(GitRepositoryOptions repository, string provider, long number, string headSha, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        var target = CreateTarget(repository);
        var head = GitArguments.Sha(headSha, nameof(headSha));
        var source = PullRequestRef(provider, number);
        var local = $"refs/gitops/pulls/{number}/{source[(source.LastIndexOf('/') + 1)..]}";
        return await WithMirrorForFetchAsync(target, repo =>
        {
            try
            {
                _fetcher.Fetch(repo, target, [$"+{source}:{local}"], prune: false, $"fetch pull request #{number} ({source}) from", cancellationToken);
            }
            catch (GitSourceException e) when (e.Kind is GitErrorKind.GitFailed or GitErrorKind.BranchNotFound or GitErrorKind.CommitNotFound)
            {
                // The ref is gone (the pull request was closed or merged): only a head already in the mirror can be previewed.
            }

            return HasCommit(repo, head);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The host's ref of a pull request's head (Azure DevOps: its merge).</summary>
    internal static string PullRequestRef(string provider, long number) => provider switch
    {
        "gitlab" => $"refs/merge-requests/{number}/head",
        "azure-devops" => $"refs/pull/{number}/merge",
        _ => $"refs/pull/{number}/head",
    };

    /// <summary>
    /// The paths that differ between the merge base of <paramref name="baseSha"/> and <paramref name="headSha"/>, and
    /// <paramref name="headSha"/>, sorted (both sides of a rename). Both commits are fetched first when missing.
    /// </summary>
    /// <exception cref="GitSourceException">A commit does not exist, or the remote or the cache failed.</exception>
    public virtual async Task<IReadOnlyList<string>> ChangedPathsAsync(GitRepositoryOptions repository, string baseSha, string headSha, CancellationToken cancellationToken = default)
    {
        var target = CreateTarget(repository);
        var older = GitArguments.Sha(baseSha, nameof(baseSha));
        var newer = GitArguments.Sha(headSha, nameof(headSha));
        await RequireCommitAsync(target, older, cancellationToken).ConfigureAwait(false);
        await RequireCommitAsync(target, newer, cancellationToken).ConfigureAwait(false);
        return await WithMirrorForReadAsync(target, repo =>
        {
            var mirror = Opened(repo, target);
            var head = mirror.Lookup<Commit>(newer);
            var mergeBase = mirror.ObjectDatabase.FindMergeBase(mirror.Lookup<Commit>(older), head) ?? mirror.Lookup<Commit>(older);
            var paths = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var change in mirror.Diff.Compare<TreeChanges>(mergeBase.Tree, head.Tree))
            {
                paths.Add(change.Path);
                if (!string.IsNullOrEmpty(change.OldPath))
                {
                    paths.Add(change.OldPath);
                }
            }

            return (IReadOnlyList<string>)paths.ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The parents of a commit, fetching it first when missing.</summary>
    /// <exception cref="GitSourceException">The commit does not exist, or the remote or the cache failed.</exception>
    public virtual async Task<IReadOnlyList<string>> ParentsAsync(GitRepositoryOptions repository, string sha, CancellationToken cancellationToken = default)
    {
        var target = CreateTarget(repository);
        var commit = GitArguments.Sha(sha, nameof(sha));
        await RequireCommitAsync(target, commit, cancellationToken).ConfigureAwait(false);
        return await WithMirrorForReadAsync(target, repo => (IReadOnlyList<string>)Opened(repo, target).Lookup<Commit>(commit).Parents.Select(p => p.Sha).ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The mirror folder used for <paramref name="url"/>: a hash of the URL, so no URL text reaches the file system.</summary>
    public string GetMirrorPath(string url) => _cache.PathFor(url);

    private FetchTarget CreateTarget(GitRepositoryOptions repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (GitRemoteUrl.Validate(repository.Url) is { } problem)
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, problem);
        }

        return new FetchTarget(repository.Url, GitUrlRedactor.Redact(repository.Url), GitCredentials.Create(repository));
    }

    private async Task RequireCommitAsync(FetchTarget target, string sha, CancellationToken cancellationToken)
    {
        if (!await EnsureCommitAsync(target, sha, null, cancellationToken).ConfigureAwait(false))
        {
            throw new GitSourceException(GitErrorKind.CommitNotFound, $"Commit {sha} is not in {target.DisplayUrl} (no branch has it). Check the SHA, or whether the branch was force-pushed or deleted.");
        }
    }

    // True when the commit is in the mirror, fetching it when missing: by SHA, then the branch, then every branch.
    private async Task<bool> EnsureCommitAsync(FetchTarget target, string sha, string? branch, CancellationToken cancellationToken)
    {
        if (await WithMirrorForReadAsync(target, repo => repo is not null && HasCommit(repo, sha), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return await WithMirrorForFetchAsync(target, repo =>
        {
            // Another worker may have fetched it while this one waited for the lock.
            if (HasCommit(repo, sha))
            {
                return true;
            }

            try
            {
                _fetcher.Fetch(repo, target, [$"+{sha}:refs/gitops/commits/{sha}"], prune: false, $"fetch commit {sha} from", cancellationToken);
            }
            catch (GitSourceException e) when (e.Kind is not (GitErrorKind.LimitExceeded or GitErrorKind.Timeout or GitErrorKind.Authentication or GitErrorKind.RepositoryNotFound))
            {
                // libgit2 speaks protocol v0/v1, where a server refuses a want that is not an advertised tip unless it
                // allows reachable SHAs; a network failure shows again in the fetches below.
            }

            if (HasCommit(repo, sha))
            {
                return true;
            }

            if (branch is not null)
            {
                FetchBranch(repo, target, branch, cancellationToken, missingIsError: false);
                if (HasCommit(repo, sha))
                {
                    return true;
                }
            }

            _fetcher.Fetch(repo, target, ["+refs/heads/*:refs/heads/*"], prune: true, "fetch the branches of", cancellationToken);
            if (!HasCommit(repo, sha))
            {
                return false;
            }

            // Pinned, so the commit stays reachable when the branch that brought it moves on.
            repo.Refs.Add($"refs/gitops/commits/{sha}", new ObjectId(sha), allowOverwrite: true);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private void FetchBranch(Repository repo, FetchTarget target, string branch, CancellationToken cancellationToken, bool missingIsError = true)
    {
        // Pruning removes a local branch the remote deleted, so a stale tip is never returned as the branch.
        _fetcher.Fetch(repo, target, [$"+refs/heads/{branch}:refs/heads/{branch}"], prune: true, $"fetch branch '{branch}' from", cancellationToken);
        if (missingIsError && repo.Refs[$"refs/heads/{branch}"] is null)
        {
            throw new GitSourceException(GitErrorKind.BranchNotFound, $"Branch '{branch}' does not exist in {target.DisplayUrl}.");
        }
    }

    private static bool HasCommit(Repository repo, string sha) => repo.Lookup(new ObjectId(sha), ObjectType.Commit) is not null;

    // Reads take no lock (libgit2 writes objects before the refs that name them), only a use that keeps the cleaner away.
    private async Task<T> WithMirrorForReadAsync<T>(FetchTarget target, Func<Repository?, T> read, CancellationToken cancellationToken)
    {
        var path = _cache.PathFor(target.Url);
        using var use = await MirrorUse.AcquireAsync(path, _options.LockTimeout, cancellationToken).ConfigureAwait(false);
        using var repo = MirrorCache.TryOpen(path);
        return read(repo);
    }

    private static Repository Opened(Repository? repo, FetchTarget target) =>
        repo ?? throw new GitSourceException(GitErrorKind.GitFailed, $"The mirror of {target.DisplayUrl} could not be opened; retrying fetches it again.");

    // The fetch runs on its own thread and owns the lock until libgit2 returns: a caller that cancels gets control back
    // at once, while the fetch stops at its next progress report (or libgit2's socket timeout) and only then unlocks.
    private async Task<T> WithMirrorForFetchAsync<T>(FetchTarget target, Func<Repository, T> fetch, CancellationToken cancellationToken)
    {
        var path = _cache.PathFor(target.Url);
        var writeLock = await _lock.AcquireAsync(path, _options.LockTimeout, cancellationToken).ConfigureAwait(false);
        var work = Task.Run(
            async () =>
            {
                await using (writeLock.ConfigureAwait(false))
                {
                    using var use = await MirrorUse.AcquireAsync(path, _options.LockTimeout, CancellationToken.None).ConfigureAwait(false);
                    var (repo, _) = _cache.OpenForFetch(path);
                    using (repo)
                    {
                        return fetch(repo);
                    }
                }
            },
            CancellationToken.None);
        _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var result = await work.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _cache.TrimAsync(path, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Trimming is housekeeping: the next fetch tries again, and the fetch itself succeeded.
        }

        return result;
    }
}
