using System.Diagnostics;

namespace GitOps.Hosting.Tests;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by scripts/test when missing), run headless once per call with a
/// fresh profile and the flags that keep it off this machine's closed network; every process is bounded and killed.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static string Executable
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } set ? set : "/usr/bin/chromium";
            Assert.True(File.Exists(path), $"Chromium is not at {path}: run scripts/test (it installs Debian's chromium package) or set CHROMIUM.");
            return path;
        }
    }

    /// <summary>The DOM after the page loaded, serialized (<c>--dump-dom</c>).</summary>
    public static async Task<string> DumpDomAsync(Uri url) =>
        (await RunAsync(["--dump-dom", url.ToString()])).StandardOutput;

    /// <summary>Saves a PNG screenshot of the page at 1280x900.</summary>
    public static async Task ScreenshotAsync(Uri url, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        await RunAsync([$"--screenshot={path}", "--window-size=1280,900", "--hide-scrollbars", url.ToString()]);
    }

    private static async Task<(string StandardOutput, string StandardError)> RunAsync(IReadOnlyList<string> arguments)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var flag in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}",
            })
            {
                start.ArgumentList.Add(flag);
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"Chromium did not finish within {Limit}: {await stderr}");
            }

            var (output, error) = (await stdout, await stderr);
            Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {error}");
            return (output, error);
        }
        finally
        {
            GitOps.Testing.GitRepositoryBuilder.DeleteDirectory(profile);
        }
    }
}
