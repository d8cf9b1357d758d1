using System.Diagnostics;
using GitOps.Testing;

namespace GitOps.Functions.Tests.Harness;

/// <summary>
/// The published worker app, as it is deployed: <c>dotnet publish</c> of src/GitOps.Functions into a folder, once
/// per test run (every harness in the run shares it). The worker is already built (this project references it), so
/// the publish only lays out the app root.
/// </summary>
internal static class WorkerApp
{
    private static readonly Lazy<Task<string>> s_directory = new(PublishAsync);

    /// <summary>The app root: host.json, worker.config.json, extensions metadata, .azurefunctions/, GitOps.Functions.dll.</summary>
    public static Task<string> DirectoryAsync() => s_directory.Value;

    private static async Task<string> PublishAsync()
    {
        // tests/GitOps.Functions.Tests/bin/<configuration>/<tfm>/: the worker was built with the same configuration.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var directory = Path.Combine(output.FullName, "worker-app");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var project = Path.Combine(RepositoryRoot.Find(), "src", "GitOps.Functions", "GitOps.Functions.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", project, "--no-build", "-c", configuration, "-o", directory, "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the worker failed ({process.ExitCode}):\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }

        return directory;
    }
}
