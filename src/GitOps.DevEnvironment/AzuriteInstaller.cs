using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace GitOps.DevEnvironment;

/// <summary>
/// The Azurite of a checkout: <c>node_modules/.bin/azurite</c>, installed with <c>npm ci</c> from the committed
/// package-lock.json when missing (so the version is the pinned one), with a machine-wide lock so that parallel test
/// processes do not run <c>npm ci</c> over each other.
/// </summary>
public static class AzuriteInstaller
{
    private static readonly SemaphoreSlim s_installGate = new(1, 1);

    /// <summary>The Azurite executable under <paramref name="repositoryRoot"/>, or null when <c>npm ci</c> has not run.</summary>
    /// <param name="repositoryRoot">The checkout's root folder.</param>
    /// <returns>The path, or null.</returns>
    public static string? Find(string repositoryRoot)
    {
        var path = ExecutablePath(repositoryRoot);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Returns the Azurite executable, running <c>npm ci</c> in <paramref name="repositoryRoot"/> first when it is missing.</summary>
    /// <param name="repositoryRoot">The checkout's root folder (with package-lock.json).</param>
    /// <param name="deadline">How long <c>npm ci</c> may take.</param>
    /// <param name="cancellationToken">Cancels the wait (npm is killed).</param>
    /// <returns>The path of the executable.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or failed; the message holds its output.</exception>
    /// <exception cref="TimeoutException">npm did not finish in time.</exception>
    public static async Task<string> EnsureInstalledAsync(string repositoryRoot, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        if (Find(repositoryRoot) is { } found)
        {
            return found;
        }

        await s_installGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await AcquireInstallLockAsync(repositoryRoot, deadline, cancellationToken).ConfigureAwait(false);
            if (Find(repositoryRoot) is { } installed)
            {
                return installed;
            }

            await RunNpmCiAsync(repositoryRoot, deadline, cancellationToken).ConfigureAwait(false);
            return Find(repositoryRoot) ?? throw new InvalidOperationException($"'npm ci' in {repositoryRoot} succeeded but installed no {ExecutablePath(repositoryRoot)}.");
        }
        finally
        {
            s_installGate.Release();
        }
    }

    private static string ExecutablePath(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");

    private static async Task RunNpmCiAsync(string repositoryRoot, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm; install Node.js 20 and npm.");
        var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await npm.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'npm ci' in {repositoryRoot} did not finish within {deadline.TotalMinutes:0} minutes.");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'npm ci' in {repositoryRoot} failed (exit {npm.ExitCode}); Azurite is needed for local storage.{Environment.NewLine}{await stdout.ConfigureAwait(false)}{Environment.NewLine}{await stderr.ConfigureAwait(false)}");
        }
    }

    private static async Task<FileStream> AcquireInstallLockAsync(string repositoryRoot, TimeSpan deadline, CancellationToken cancellationToken)
    {
        // FileShare.None takes an exclusive OS lock (flock on Unix): other processes wait here until npm ci is done.
        var path = Path.Combine(Path.GetTempPath(), $"gitops-npm-ci-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(repositoryRoot)))[..16]}.lock");
        var giveUp = DateTime.UtcNow + deadline;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
