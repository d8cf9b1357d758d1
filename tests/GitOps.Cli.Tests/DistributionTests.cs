using System.Diagnostics;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>
/// The CLI ships as a .NET tool: <c>dotnet pack</c> → <c>dotnet tool install</c> → <c>gitops</c> runs. Packs the build
/// the suite already made (<c>--no-build</c>) under a unique prerelease version, so the NuGet cache cannot hand back an
/// older package of the same version.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DistributionTests
{
    [Fact]
    public async Task Cli_Packs_As_A_Dotnet_Tool_That_Installs_And_Runs()
    {
        using var folder = new TempFolder();
        var root = RepositoryRoot.Find();
        var version = $"0.0.0-test.{Guid.NewGuid():N}"[..24];
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0

        var pack = await RunAsync("dotnet", root, "pack", Path.Combine(root, "src", "GitOps.Cli"), "--no-build", "-c", configuration, "-o", Path.Combine(folder.Path, "packages"), $"-p:PackageVersion={version}", "--nologo");
        Assert.True(pack.ExitCode == 0, pack.Output);

        var install = await RunAsync("dotnet", root, ("NUGET_PACKAGES", Path.Combine(folder.Path, "nuget")), "tool", "install", "GitOpsFunctions.Cli", "--version", version, "--tool-path", Path.Combine(folder.Path, "tools"), "--add-source", Path.Combine(folder.Path, "packages"));
        Assert.True(install.ExitCode == 0, install.Output);

        var gitops = Path.Combine(folder.Path, "tools", "gitops");
        var printed = await RunAsync(gitops, root, "--version");
        var validate = await RunAsync(gitops, root, "validate", "examples");

        Assert.Equal(0, printed.ExitCode);
        Assert.StartsWith(typeof(GitOpsCli).Assembly.GetName().Version!.ToString(3), printed.Output.Trim(), StringComparison.Ordinal);
        Assert.True(validate.ExitCode == 0, validate.Output);
        Assert.Contains("prod: valid", validate.Output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, params string[] arguments) =>
        RunAsync(file, workingDirectory, null, arguments);

    /// <param name="file">The program.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="variable">An environment variable to set (the tool install gets its own package cache, deleted with the temp folder).</param>
    /// <param name="arguments">Its arguments.</param>
    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, (string Name, string Value)? variable, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (variable is { } set)
        {
            start.Environment[set.Name] = set.Value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        return (process.ExitCode, await output + await error);
    }
}
