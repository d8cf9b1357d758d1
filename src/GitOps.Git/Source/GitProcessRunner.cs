using System.Diagnostics;
using System.Text;

namespace GitOps.Git.Source;

/// <summary>
/// Runs git as a child process with an argument list (never a shell), a clean environment, a timeout and
/// cancellation that kill the whole process tree.
/// </summary>
internal sealed class GitProcessRunner(string gitExecutable)
{
    private const int MaxStandardErrorChars = 8 * 1024;

    /// <summary>Runs git and returns its result whatever the exit code; throws only on timeout, cancellation, start failure or oversized output.</summary>
    /// <param name="arguments">The arguments after the executable.</param>
    /// <param name="environment">Extra variables (credentials, SSH command); set after the inherited ones are cleaned.</param>
    /// <param name="secrets">Values scrubbed from standard error.</param>
    /// <param name="timeout">When to kill the process tree.</param>
    /// <param name="maxOutputBytes">The most standard output to accept.</param>
    /// <param name="standardInput">Bytes written to standard input, which is then closed.</param>
    /// <param name="cancellationToken">Kills the process tree when cancelled.</param>
    public async Task<GitProcessResult> RunAsync(
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyCollection<string> secrets,
        TimeSpan timeout,
        long maxOutputBytes,
        byte[]? standardInput,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(gitExecutable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ConfigureEnvironment(startInfo.Environment, environment);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new GitSourceException(GitErrorKind.GitFailed, $"Could not start '{gitExecutable}': {e.Message}. Install git or set GitSourceOptions.GitExecutable.", innerException: e);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var token = timeoutSource.Token;

        var stdoutTask = ReadBoundedAsync(process.StandardOutput.BaseStream, maxOutputBytes, token);
        var stderrTask = ReadTailAsync(process.StandardError.BaseStream, token);
        try
        {
            try
            {
                if (standardInput is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(standardInput, token).ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // git exited before reading all its input; its exit code and stderr say why.
            }

            var stdout = await stdoutTask.ConfigureAwait(false);
            var stderr = await stderrTask.ConfigureAwait(false);
            await process.WaitForExitAsync(token).ConfigureAwait(false);
            return new GitProcessResult(process.ExitCode, stdout, GitUrlRedactor.Redact(stderr, secrets));
        }
        catch (Exception e) when (e is OperationCanceledException or OutputTooLargeException)
        {
            Kill(process);
            await ObserveAsync(stdoutTask, stderrTask).ConfigureAwait(false);
            if (e is OutputTooLargeException)
            {
                throw new GitSourceException(GitErrorKind.LimitExceeded, $"git {Describe(arguments, secrets)} wrote more than {maxOutputBytes} bytes; the process was stopped.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new GitSourceException(GitErrorKind.Timeout, $"git {Describe(arguments, secrets)} did not finish within {timeout}; the process was stopped. Retry later or raise the timeout.");
        }
    }

    /// <summary>A short, redacted description of a command for messages: the git subcommand and its non-option arguments.</summary>
    internal static string Describe(IReadOnlyList<string> arguments, IReadOnlyCollection<string> secrets)
    {
        // Skip the global "-c key=value" pairs and "-C dir": they hold paths and configuration, not intent.
        var parts = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is "-c" or "-C")
            {
                i++;
                continue;
            }

            parts.Add(arguments[i]);
        }

        return GitUrlRedactor.Redact(string.Join(' ', parts), secrets);
    }

    private static void ConfigureEnvironment(IDictionary<string, string?> target, IReadOnlyDictionary<string, string> extra)
    {
        // Inherited GIT_* variables (GIT_DIR, GIT_CONFIG_PARAMETERS, GIT_SSH_COMMAND, …) would change what git does.
        foreach (var key in target.Keys.Where(k => k.StartsWith("GIT_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            target.Remove(key);
        }

        target["GIT_TERMINAL_PROMPT"] = "0";
        target["GIT_ASKPASS"] = "";
        target["SSH_ASKPASS"] = "";
        target["GIT_CONFIG_NOSYSTEM"] = "1";
        target["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        target["GIT_OPTIONAL_LOCKS"] = "0";

        // Stable, English messages: errors are classified by their text.
        target["LC_ALL"] = "C";
        target["LANG"] = "C";
        target["LANGUAGE"] = "";
        foreach (var (key, value) in extra)
        {
            target[key] = value;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task ObserveAsync(params Task[] tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or OutputTooLargeException or ObjectDisposedException)
            {
                // The process was killed; its streams ending early is expected.
            }
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new OutputTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<string> ReadTailAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = new StringBuilder();
        var chunk = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            text.Append(chunk, 0, read);
            if (text.Length > MaxStandardErrorChars * 2)
            {
                text.Remove(0, text.Length - MaxStandardErrorChars);
            }
        }

        if (text.Length > MaxStandardErrorChars)
        {
            text.Remove(0, text.Length - MaxStandardErrorChars);
        }

        return text.ToString().Trim();
    }

    private sealed class OutputTooLargeException : Exception;
}
