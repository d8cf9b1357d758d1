using System.Diagnostics;

namespace GitOps.Cli.Quickstart;

/// <summary>Runs the git command-line client for the quick start's sample repositories, with a deadline.</summary>
internal static class GitProcess
{
    /// <summary>The fixed author of the sample's commits, so the quick start's history reads the same everywhere.</summary>
    public static readonly string[] Identity =
    [
        "-c", "user.name=GitOps Quickstart", "-c", "user.email=quickstart@gitops.invalid", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
    ];

    /// <summary>Runs <c>git ARGS</c> in <paramref name="directory"/>; returns standard output, trimmed.</summary>
    /// <exception cref="InvalidOperationException">git is missing, failed or timed out; the message has the command and git's error.</exception>
    public static async Task<string> RunAsync(string directory, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Identity.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        // A user's global hooks or templates must not change the sample.
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        var command = "git " + string.Join(' ', start.ArgumentList.Skip(Identity.Length));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{command}'.");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"Could not run git ({error.Message}); install git and put it on PATH.", error);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"'{command}' did not finish within 60 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'{command}' failed (exit {process.ExitCode}): {(await errors.ConfigureAwait(false)).Trim()}");
            }

            return (await output.ConfigureAwait(false)).Trim();
        }
    }

    /// <summary>Runs git with the arguments given inline.</summary>
    public static Task<string> RunAsync(string directory, CancellationToken cancellationToken, params string[] arguments) =>
        RunAsync(directory, arguments, cancellationToken);
}
