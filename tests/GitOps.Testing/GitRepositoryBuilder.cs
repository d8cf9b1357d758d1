using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GitOps.Testing;

/// <summary>
/// A throwaway, real git repository in a temp folder: write files, commit with a chosen author/message/date, branch,
/// add symlinks and submodule entries. git runs with no global or system configuration. Disposing deletes the folder.
/// </summary>
public sealed class GitRepositoryBuilder : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    // Symlinks and gitlinks live only in the index, so "git add -A" would stage their removal; they are re-added after it.
    private readonly Dictionary<string, string> _indexOnly = new(StringComparer.Ordinal);
    private int _commitCount;

    private GitRepositoryBuilder(string path) => RepositoryPath = path;

    /// <summary>The working tree folder.</summary>
    public string RepositoryPath { get; }

    /// <summary>A <c>file://</c> URL of the repository, as a remote would be given.</summary>
    public string Url => new Uri(RepositoryPath).AbsoluteUri;

    /// <summary>Creates an empty repository whose first branch is <paramref name="initialBranch"/>.</summary>
    public static GitRepositoryBuilder Create(string initialBranch = "main")
    {
        var path = Path.Combine(Path.GetTempPath(), "gitops-repo-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        var builder = new GitRepositoryBuilder(path);
        builder.Git("init", "--quiet", "-b", initialBranch);
        return builder;
    }

    /// <summary>Writes (or overwrites) a UTF-8 file, creating folders.</summary>
    public GitRepositoryBuilder WriteFile(string path, string content) => WriteFile(path, Encoding.UTF8.GetBytes(content));

    /// <summary>Writes (or overwrites) a file, creating folders.</summary>
    public GitRepositoryBuilder WriteFile(string path, byte[] content)
    {
        var full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return this;
    }

    /// <summary>Deletes a file from the working tree (the next commit records the removal).</summary>
    public GitRepositoryBuilder DeleteFile(string path)
    {
        _indexOnly.Remove(path);
        if (File.Exists(Full(path)))
        {
            File.Delete(Full(path));
        }

        Git("rm", "--cached", "--quiet", "--ignore-unmatch", "-r", "--", path);
        return this;
    }

    /// <summary>Adds a symbolic link at <paramref name="path"/> pointing to <paramref name="target"/> (stored with mode 120000).</summary>
    public GitRepositoryBuilder Symlink(string path, string target)
    {
        // Written straight into the index so the test does not depend on the file system supporting links.
        var blob = GitWithInput(Encoding.UTF8.GetBytes(target), "hash-object", "-w", "--stdin").Trim();
        _indexOnly[path] = $"120000,{blob},{path}";
        return this;
    }

    /// <summary>Adds a submodule entry (a gitlink, mode 160000) at <paramref name="path"/> and its <c>.gitmodules</c> section.</summary>
    public GitRepositoryBuilder Submodule(string path, string commitSha, string url)
    {
        var modules = Full(".gitmodules");
        File.AppendAllText(modules, $"[submodule \"{path}\"]\n\tpath = {path}\n\turl = {url}\n");
        Git("add", ".gitmodules");
        _indexOnly[path] = $"160000,{commitSha},{path}";
        return this;
    }

    /// <summary>Stages everything and commits; returns the new commit's SHA.</summary>
    public string Commit(string message, string author = "Test Author", string email = "author@example.com", DateTimeOffset? date = null)
    {
        var when = date ?? new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(_commitCount++);
        var stamp = when.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " " + when.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
        var environment = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = author,
            ["GIT_AUTHOR_EMAIL"] = email,
            ["GIT_AUTHOR_DATE"] = stamp,
            ["GIT_COMMITTER_NAME"] = author,
            ["GIT_COMMITTER_EMAIL"] = email,
            ["GIT_COMMITTER_DATE"] = stamp,
        };
        Run(null, environment, "add", "-A");
        foreach (var entry in _indexOnly.Values)
        {
            Run(null, environment, "update-index", "--add", "--cacheinfo", entry);
        }

        Run(null, environment, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message);
        return Head();
    }

    /// <summary>The SHA of <c>HEAD</c>.</summary>
    public string Head() => Git("rev-parse", "HEAD").Trim();

    /// <summary>Creates a branch at <paramref name="startPoint"/> (default HEAD) and switches to it.</summary>
    public GitRepositoryBuilder CreateBranch(string name, string? startPoint = null)
    {
        if (startPoint is null)
        {
            Git("checkout", "--quiet", "-b", name);
        }
        else
        {
            Git("checkout", "--quiet", "-b", name, startPoint);
        }

        return this;
    }

    /// <summary>Switches to an existing branch.</summary>
    public GitRepositoryBuilder Checkout(string name)
    {
        Git("checkout", "--quiet", name);
        return this;
    }

    /// <summary>Sets a repository configuration value (e.g. <c>uploadpack.allowAnySHA1InWant</c>).</summary>
    public GitRepositoryBuilder SetConfig(string key, string value)
    {
        Git("config", key, value);
        return this;
    }

    /// <summary>Runs git in the repository and returns standard output; throws with standard error on failure.</summary>
    public string Git(params string[] arguments) => Run(null, null, arguments);

    /// <inheritdoc />
    public void Dispose() => DeleteDirectory(RepositoryPath);

    /// <summary>Deletes a folder that may hold read-only git objects; a temp folder left behind is not a test failure.</summary>
    public static void DeleteDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the OS cleans temp folders, and failing here would hide the real test outcome.
        }
    }

    private string GitWithInput(byte[] input, params string[] arguments) => Run(input, null, arguments);

    private string Run(byte[]? input, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = RepositoryPath,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        startInfo.Environment["GIT_AUTHOR_NAME"] = "Test Author";
        startInfo.Environment["GIT_AUTHOR_EMAIL"] = "author@example.com";
        startInfo.Environment["GIT_COMMITTER_NAME"] = "Test Author";
        startInfo.Environment["GIT_COMMITTER_EMAIL"] = "author@example.com";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"git {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    private string Full(string path) => Path.Combine(RepositoryPath, path.Replace('/', Path.DirectorySeparatorChar));
}
