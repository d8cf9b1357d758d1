using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GitOps.Core.Ports;
using GitOps.Core.Runs;

namespace GitOps.Git.Source;

/// <summary>
/// Reads declared state from git repositories with the git command-line client, the way Argo CD's repo-server does:
/// one bare mirror per repository URL under <see cref="GitSourceOptions.CacheRoot"/>, fetched by SHA or branch, and
/// read at a commit without a working tree. Thread-safe; several clients and processes may share one cache.
/// </summary>
public class GitSourceClient
{
    /// <summary>The file that lists environments, at the repository root.</summary>
    public const string ConfigFileName = "gitops.yaml";

    /// <summary>The optional policy file, at the repository root.</summary>
    public const string PolicyFileName = "gitops.policy.yaml";

    /// <summary>The longest commit message <see cref="GetCommitAsync"/> returns, in characters (4 KiB); run records keep no more.</summary>
    public const int MaxCommitMessageLength = 4096;

    private const long MaxMetadataBytes = 4 * 1024 * 1024;
    private readonly GitSourceOptions _options;
    private readonly GitProcessRunner _runner;
    private readonly MirrorLock _lock = new();

    /// <summary>Creates a client.</summary>
    public GitSourceClient(GitSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.CacheRoot);
        _options = options;
        _runner = new GitProcessRunner(options.GitExecutable);
    }

    /// <summary>For mocking.</summary>
    protected GitSourceClient()
    {
        _options = new GitSourceOptions { CacheRoot = Path.GetTempPath() };
        _runner = new GitProcessRunner("git");
    }

    /// <summary>Asks the remote for the commit at the tip of <paramref name="branch"/> (git ls-remote) without downloading anything.</summary>
    /// <returns>The full SHA.</returns>
    /// <exception cref="GitSourceException">The branch does not exist, or the remote failed (see <see cref="GitSourceException.IsTransient"/>).</exception>
    public virtual async Task<string> ResolveAsync(GitRepositoryOptions repository, string branch, CancellationToken cancellationToken = default)
    {
        var context = CreateContext(repository);
        var name = GitArguments.Branch(branch);
        Directory.CreateDirectory(_options.CacheRoot);
        var result = await RunAsync(
            context,
            ["-C", _options.CacheRoot, "ls-remote", "--heads", "--", repository.Url, "refs/heads/" + name],
            _options.NetworkTimeout,
            MaxMetadataBytes,
            null,
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw RemoteFailure(context, "list the branches of", result);
        }

        foreach (var line in Encoding.UTF8.GetString(result.StandardOutput).Split('\n'))
        {
            var parts = line.Split('\t');
            if (parts.Length == 2 && parts[1].Trim() == "refs/heads/" + name)
            {
                return GitArguments.Sha(parts[0].Trim(), "ls-remote result");
            }
        }

        throw new GitSourceException(GitErrorKind.BranchNotFound, $"Branch '{name}' does not exist in {context.DisplayUrl}.");
    }

    /// <summary>
    /// Makes a commit available in the local mirror. With <paramref name="sha"/> null, fetches the tip of
    /// <paramref name="branch"/>; otherwise fetches that SHA (by SHA, falling back to fetching the branch when the server
    /// refuses fetching unadvertised objects). Does nothing when the commit is already there.
    /// </summary>
    /// <returns>The full SHA now in the mirror.</returns>
    /// <exception cref="GitSourceException">The branch or commit does not exist, or the remote failed.</exception>
    public virtual async Task<string> FetchAsync(GitRepositoryOptions repository, string branch, string? sha = null, CancellationToken cancellationToken = default)
    {
        var context = CreateContext(repository);
        var name = GitArguments.Branch(branch);
        if (sha is not null)
        {
            var commit = GitArguments.Sha(sha, nameof(sha));
            await EnsureCommitAsync(context, commit, name, cancellationToken).ConfigureAwait(false);
            return commit;
        }

        await using (await _lock.AcquireAsync(context.MirrorPath, _options.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            await EnsureMirrorAsync(context, cancellationToken).ConfigureAwait(false);
            await FetchBranchAsync(context, name, cancellationToken).ConfigureAwait(false);
            return await RevParseAsync(context, $"refs/heads/{name}^{{commit}}", cancellationToken).ConfigureAwait(false)
                ?? throw new GitSourceException(GitErrorKind.BranchNotFound, $"Branch '{name}' of {context.DisplayUrl} did not resolve to a commit after fetching.");
        }
    }

    /// <summary>
    /// Reads <c>gitops.yaml</c>, <c>gitops.policy.yaml</c> (when present) and every file under
    /// <paramref name="environmentPath"/> at commit <paramref name="sha"/>, without a working tree. The commit is fetched
    /// by SHA first when the mirror does not have it.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="sha">The full commit SHA.</param>
    /// <param name="environmentPath">The environment folder relative to the root ("" for the root); no '..', no backslashes, not absolute.</param>
    /// <param name="cancellationToken">Cancels the operation and kills running git processes.</param>
    /// <exception cref="GitSourceException">A requested path is a symlink or submodule, a limit is exceeded, the path is unsafe, or git failed.</exception>
    public virtual async Task<GitCommitSnapshot> ReadEnvironmentAsync(GitRepositoryOptions repository, string sha, string environmentPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environmentPath);
        var context = CreateContext(repository);
        var commit = GitArguments.Sha(sha, nameof(sha));
        var files = await ReadFilesAsync(context, commit, GitArguments.EnvironmentPath(environmentPath), cancellationToken).ConfigureAwait(false);
        var (author, email, time, message) = await ReadCommitAsync(context, commit, cancellationToken).ConfigureAwait(false);
        return new GitCommitSnapshot { Sha = commit, Author = author, AuthorEmail = email, Time = time, Message = message, Files = files };
    }

    /// <summary>
    /// Reads the root config files (<c>gitops.yaml</c>, and <c>gitops.policy.yaml</c> when present) and, when
    /// <paramref name="environmentPath"/> is not null, every file under it, at commit <paramref name="sha"/>, without a
    /// working tree and without reading the commit's metadata. The commit is fetched by SHA first when missing.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="sha">The full commit SHA.</param>
    /// <param name="environmentPath">The environment folder ("" for the whole repository), or null for the root config files only.</param>
    /// <param name="cancellationToken">Cancels the operation and kills running git processes.</param>
    /// <returns>The files, named <c>&lt;redacted url&gt;@&lt;sha&gt;</c>.</returns>
    /// <exception cref="GitSourceException">A requested path is a symlink or submodule, a limit is exceeded, the path is unsafe, or git failed.</exception>
    public virtual async Task<InMemoryFileTree> ReadFilesAsync(GitRepositoryOptions repository, string sha, string? environmentPath, CancellationToken cancellationToken = default)
    {
        var context = CreateContext(repository);
        var commit = GitArguments.Sha(sha, nameof(sha));
        var folder = environmentPath is null ? null : GitArguments.EnvironmentPath(environmentPath);
        return await ReadFilesAsync(context, commit, folder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The author, e-mail, author time and message of a commit (the message cut to <see cref="MaxCommitMessageLength"/>
    /// characters), fetching the commit by SHA first when the mirror does not have it.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="sha">The full commit SHA.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The commit as a run record shows it.</returns>
    /// <exception cref="GitSourceException">The commit does not exist, or git failed.</exception>
    public virtual async Task<CommitInfo> GetCommitAsync(GitRepositoryOptions repository, string sha, CancellationToken cancellationToken = default)
    {
        var context = CreateContext(repository);
        var commit = GitArguments.Sha(sha, nameof(sha));
        await EnsureCommitAsync(context, commit, null, cancellationToken).ConfigureAwait(false);
        var (author, email, time, message) = await ReadCommitAsync(context, commit, cancellationToken).ConfigureAwait(false);
        return new CommitInfo(commit, author, email.Length == 0 ? null : email, time, message.Length <= MaxCommitMessageLength ? message : message[..MaxCommitMessageLength]);
    }

    /// <summary>
    /// True when <paramref name="olderSha"/> is an ancestor of (or equal to) <paramref name="newerSha"/>. Commits missing
    /// from the mirror are fetched first. The reconciler records a job for a commit older than the applied one as superseded.
    /// </summary>
    public virtual async Task<bool> IsAncestorAsync(GitRepositoryOptions repository, string olderSha, string newerSha, CancellationToken cancellationToken = default)
    {
        var context = CreateContext(repository);
        var older = GitArguments.Sha(olderSha, nameof(olderSha));
        var newer = GitArguments.Sha(newerSha, nameof(newerSha));
        await EnsureCommitAsync(context, older, null, cancellationToken).ConfigureAwait(false);
        await EnsureCommitAsync(context, newer, null, cancellationToken).ConfigureAwait(false);
        var result = await RunAsync(context, ["-C", context.MirrorPath, "merge-base", "--is-ancestor", older, newer], _options.LocalTimeout, MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new GitSourceException(GitErrorKind.GitFailed, $"git merge-base failed in the mirror of {context.DisplayUrl}: {result.StandardError}"),
        };
    }

    /// <summary>The mirror folder used for <paramref name="url"/>: a hash of the URL, so no URL text reaches the file system.</summary>
    public string GetMirrorPath(string url)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(url.TrimEnd('/')));
        return Path.Combine(_options.CacheRoot, Convert.ToHexStringLower(hash.AsSpan(0, 16)) + ".git");
    }

    private RepositoryContext CreateContext(GitRepositoryOptions repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var url = repository.Url;
        if (string.IsNullOrWhiteSpace(url) || url.StartsWith('-') || url.Any(char.IsControl))
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"Repository URL '{GitUrlRedactor.Redact(url)}' is empty or not acceptable.");
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            throw new GitSourceException(GitErrorKind.InvalidArgument, $"Repository URL '{GitUrlRedactor.Redact(url)}' holds a password; remove it from the URL and set GitRepositoryOptions.Token instead.");
        }

        var configuration = new List<KeyValuePair<string, string>>
        {
            // No background gc: objects fetched by SHA must stay, and a gc must never race a reader.
            new("gc.auto", "0"),
            new("maintenance.auto", "false"),
            new("credential.helper", ""),
            new("fetch.recurseSubmodules", "false"),
            new("core.hooksPath", OperatingSystem.IsWindows() ? "NUL" : "/dev/null"),

            // Only the ordinary transports: a URL such as "ext::sh -c …" must never run a command.
            new("protocol.allow", "never"),
            new("protocol.https.allow", "always"),
            new("protocol.http.allow", "always"),
            new("protocol.ssh.allow", "always"),
            new("protocol.git.allow", "always"),
            new("protocol.file.allow", "always"),
        };
        if (_options.ProtocolVersion is { } version)
        {
            configuration.Add(new("protocol.version", version.ToString(CultureInfo.InvariantCulture)));
        }

        return new RepositoryContext(repository.Url, GetMirrorPath(repository.Url), GitUrlRedactor.Redact(repository.Url), GitCredentials.Create(repository, configuration));
    }

    private async Task EnsureCommitAsync(RepositoryContext context, string sha, string? branch, CancellationToken cancellationToken)
    {
        if (Directory.Exists(context.MirrorPath) && await HasCommitAsync(context, sha, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await using (await _lock.AcquireAsync(context.MirrorPath, _options.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            await EnsureMirrorAsync(context, cancellationToken).ConfigureAwait(false);

            // Another worker may have fetched it while this one waited for the lock.
            if (await HasCommitAsync(context, sha, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var bySha = await RunAsync(context, FetchArguments(context, $"{sha}:refs/gitops/commits/{sha}"), _options.NetworkTimeout, MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
            if (bySha.ExitCode != 0)
            {
                if (!GitErrorClassifier.IsRefusedOrUnknownRef(bySha.StandardError))
                {
                    throw RemoteFailure(context, $"fetch commit {sha} from", bySha);
                }

                // The server does not serve unadvertised objects (protocol v0 without allowReachableSHA1InWant) or does
                // not know the SHA: fetch what it advertises and look again.
                if (branch is not null)
                {
                    await FetchBranchAsync(context, branch, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var all = await RunAsync(context, FetchArguments(context, "+refs/heads/*:refs/heads/*"), _options.NetworkTimeout, MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
                    if (all.ExitCode != 0)
                    {
                        throw RemoteFailure(context, "fetch the branches of", all);
                    }
                }

                if (!await HasCommitAsync(context, sha, cancellationToken).ConfigureAwait(false))
                {
                    throw new GitSourceException(GitErrorKind.CommitNotFound, $"Commit {sha} is not in {context.DisplayUrl}{(branch is null ? "" : $" (branch '{branch}')")}. Check the SHA, or whether the branch was force-pushed.");
                }
            }
        }
    }

    private async Task FetchBranchAsync(RepositoryContext context, string branch, CancellationToken cancellationToken)
    {
        var result = await RunAsync(context, FetchArguments(context, $"+refs/heads/{branch}:refs/heads/{branch}"), _options.NetworkTimeout, MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            if (GitErrorClassifier.IsRefusedOrUnknownRef(result.StandardError))
            {
                throw new GitSourceException(GitErrorKind.BranchNotFound, $"Branch '{branch}' does not exist in {context.DisplayUrl}.");
            }

            throw RemoteFailure(context, $"fetch branch '{branch}' from", result);
        }
    }

    private static string[] FetchArguments(RepositoryContext context, string refspec) =>
        ["-C", context.MirrorPath, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-recurse-submodules", "--", context.Url, refspec];

    private async Task EnsureMirrorAsync(RepositoryContext context, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(context.MirrorPath, "HEAD")))
        {
            return;
        }

        // Initialise beside the final folder and rename, so a crash never leaves a half-made mirror in place.
        Directory.CreateDirectory(_options.CacheRoot);
        var staging = context.MirrorPath + ".init-" + Guid.NewGuid().ToString("N");
        var result = await RunAsync(context, ["init", "--bare", "--quiet", staging], _options.LocalTimeout, MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new GitSourceException(GitErrorKind.GitFailed, $"git init of the cache for {context.DisplayUrl} failed: {result.StandardError}");
        }

        if (Directory.Exists(context.MirrorPath))
        {
            // A leftover without HEAD is not a usable mirror.
            Directory.Delete(context.MirrorPath, recursive: true);
        }

        Directory.Move(staging, context.MirrorPath);
    }

    private async Task<InMemoryFileTree> ReadFilesAsync(RepositoryContext context, string commit, string? folder, CancellationToken cancellationToken)
    {
        await EnsureCommitAsync(context, commit, null, cancellationToken).ConfigureAwait(false);
        var entries = await ListAsync(context, commit, folder, cancellationToken).ConfigureAwait(false);
        var files = new InMemoryFileTree($"{context.DisplayUrl}@{commit[..12]}");
        if (entries.Count > 0)
        {
            var contents = await ReadBlobsAsync(context, entries, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < entries.Count; i++)
            {
                files.Add(entries[i].Path, contents[i]);
            }
        }

        return files;
    }

    private async Task<bool> HasCommitAsync(RepositoryContext context, string sha, CancellationToken cancellationToken)
    {
        var result = await RunAsync(context, ["-C", context.MirrorPath, "cat-file", "-e", sha + "^{commit}"], _options.LocalTimeout, MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    private async Task<string?> RevParseAsync(RepositoryContext context, string revision, CancellationToken cancellationToken)
    {
        var result = await RunAsync(context, ["-C", context.MirrorPath, "rev-parse", "--verify", "--quiet", "--end-of-options", revision], _options.LocalTimeout, MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? Encoding.UTF8.GetString(result.StandardOutput).Trim() : null;
    }

    // folder: "" for the whole tree, a path for the root config files and that folder, null for the root config files only.
    private async Task<List<GitTreeEntry>> ListAsync(RepositoryContext context, string sha, string? folder, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "--literal-pathspecs", "-C", context.MirrorPath, "ls-tree", "-r", "-l", "-z", "--full-tree", sha, "--" };
        if (folder is null)
        {
            arguments.AddRange([ConfigFileName, PolicyFileName]);
        }
        else if (folder.Length > 0)
        {
            arguments.AddRange([ConfigFileName, PolicyFileName, folder]);
        }

        var limits = _options.Limits;
        var result = await RunAsync(context, arguments, _options.LocalTimeout, 512L * (limits.MaxFileCount + 16) + MaxMetadataBytes, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new GitSourceException(GitErrorKind.GitFailed, $"git ls-tree of {sha} in {context.DisplayUrl} failed: {result.StandardError}");
        }

        var selected = new List<GitTreeEntry>();
        long total = 0;
        foreach (var entry in GitTreeEntry.ParseAll(result.StandardOutput))
        {
            var isRootFile = entry.Path is ConfigFileName or PolicyFileName;
            if (entry.Path == folder && !isRootFile)
            {
                throw entry.Mode == GitTreeEntry.SymlinkMode
                    ? Refused(GitErrorKind.SymlinkRefused, entry.Path, "is a symbolic link; environment folders must be real folders")
                    : entry.Mode == GitTreeEntry.SubmoduleMode
                        ? Refused(GitErrorKind.SubmoduleRefused, entry.Path, "is a submodule; submodules are not followed")
                        : Refused(GitErrorKind.InvalidArgument, entry.Path, "is a file; an environment path must be a folder");
            }

            if (!isRootFile && (folder is null || (folder.Length > 0 && !entry.Path.StartsWith(folder + "/", StringComparison.Ordinal))))
            {
                continue;
            }

            if (entry.Mode == GitTreeEntry.SymlinkMode)
            {
                throw Refused(GitErrorKind.SymlinkRefused, entry.Path, "is a symbolic link; links are refused because they can point outside the repository. Commit the file itself");
            }

            if (entry.Mode == GitTreeEntry.SubmoduleMode || entry.Type != "blob")
            {
                throw Refused(GitErrorKind.SubmoduleRefused, entry.Path, "is a submodule; submodules are not followed. Copy the manifests into the repository");
            }

            if (entry.Size is not { } size)
            {
                throw new GitSourceException(GitErrorKind.GitFailed, $"git ls-tree gave no size for '{entry.Path}'.", entry.Path);
            }

            if (size > limits.MaxFileBytes)
            {
                throw Refused(GitErrorKind.LimitExceeded, entry.Path, $"is {size} bytes, over the limit of {limits.MaxFileBytes} bytes per file");
            }

            total += size;
            if (total > limits.MaxTotalBytes)
            {
                throw Refused(GitErrorKind.LimitExceeded, entry.Path, $"brings the files read to {total} bytes, over the limit of {limits.MaxTotalBytes} bytes per environment");
            }

            selected.Add(entry);
            if (selected.Count > limits.MaxFileCount)
            {
                throw Refused(GitErrorKind.LimitExceeded, entry.Path, $"is file number {selected.Count}, over the limit of {limits.MaxFileCount} files per environment");
            }
        }

        return selected;
    }

    private async Task<ReadOnlyMemory<byte>[]> ReadBlobsAsync(RepositoryContext context, List<GitTreeEntry> entries, CancellationToken cancellationToken)
    {
        var input = Encoding.ASCII.GetBytes(string.Join('\n', entries.Select(e => e.ObjectId)) + "\n");
        var expected = entries.Sum(e => e.Size!.Value + e.ObjectId.Length + 32);
        var result = await RunAsync(context, ["-C", context.MirrorPath, "cat-file", "--batch"], _options.LocalTimeout, expected, input, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new GitSourceException(GitErrorKind.GitFailed, $"git cat-file in the mirror of {context.DisplayUrl} failed: {result.StandardError}");
        }

        // Output per object: "<oid> SP <type> SP <size> LF <content> LF".
        var output = result.StandardOutput;
        var contents = new ReadOnlyMemory<byte>[entries.Count];
        var position = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var lineEnd = Array.IndexOf(output, (byte)'\n', position);
            if (lineEnd < 0)
            {
                throw new GitSourceException(GitErrorKind.GitFailed, $"git cat-file output ended early at '{entries[i].Path}'.", entries[i].Path);
            }

            var header = Encoding.ASCII.GetString(output, position, lineEnd - position).Split(' ');
            if (header.Length != 3 || header[0] != entries[i].ObjectId || header[1] != "blob"
                || !long.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size != entries[i].Size
                || lineEnd + 1 + size > output.Length)
            {
                throw new GitSourceException(GitErrorKind.GitFailed, $"git cat-file gave an unexpected object for '{entries[i].Path}'.", entries[i].Path);
            }

            contents[i] = new ReadOnlyMemory<byte>(output, lineEnd + 1, (int)size);
            position = lineEnd + 1 + (int)size + 1;
        }

        return contents;
    }

    private async Task<(string Author, string Email, DateTimeOffset Time, string Message)> ReadCommitAsync(RepositoryContext context, string sha, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            context,
            ["-C", context.MirrorPath, "show", "-s", "--no-show-signature", "--encoding=UTF-8", "--format=%an%x00%ae%x00%aI%x00%B", sha, "--"],
            _options.LocalTimeout,
            MaxMetadataBytes,
            null,
            cancellationToken).ConfigureAwait(false);
        var parts = Encoding.UTF8.GetString(result.StandardOutput).Split('\0', 4);
        if (result.ExitCode != 0 || parts.Length != 4)
        {
            throw new GitSourceException(GitErrorKind.GitFailed, $"Could not read commit {sha} in {context.DisplayUrl}: {result.StandardError}");
        }

        var time = DateTimeOffset.Parse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.None);
        return (parts[0], parts[1], time, parts[3].TrimEnd('\n'));
    }

    private Task<GitProcessResult> RunAsync(RepositoryContext context, IReadOnlyList<string> arguments, TimeSpan timeout, long maxOutputBytes, byte[]? input, CancellationToken cancellationToken) =>
        _runner.RunAsync(arguments, context.Credentials.Environment, context.Credentials.Secrets, timeout, maxOutputBytes, input, cancellationToken);

    private static GitSourceException RemoteFailure(RepositoryContext context, string action, GitProcessResult result)
    {
        var kind = GitErrorClassifier.ClassifyRemote(result.StandardError);
        var advice = kind switch
        {
            GitErrorKind.Authentication => " Check the token or SSH key and its access to the repository.",
            GitErrorKind.RepositoryNotFound => " Check the URL (and that the credentials can see the repository).",
            _ => " Retrying may help.",
        };
        return new GitSourceException(kind, $"Could not {action} {context.DisplayUrl} (git exit code {result.ExitCode}): {result.StandardError}.{advice}");
    }

    private static GitSourceException Refused(GitErrorKind kind, string path, string why) => new(kind, $"'{path}' {why}.", path);

    private sealed record RepositoryContext(string Url, string MirrorPath, string DisplayUrl, GitCredentials Credentials);
}
