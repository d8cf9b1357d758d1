using GitOps.Cli;
using GitOps.Testing;

namespace GitOps.Cli.Tests;

/// <summary>Runs the real command tree in-process with captured output.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) =>
        await RunWithInputAsync(null, args);

    public static async Task<(int ExitCode, string Out, string Error)> RunWithInputAsync(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, Color: false, input is null ? null : new StringReader(input));
        var code = await GitOpsCli.RunAsync(args, console);
        return (code, output.ToString(), error.ToString());
    }

    public static string Examples => Path.Combine(RepositoryRoot.Find(), "examples");
}

/// <summary>A temporary folder with files, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gitops-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public TempFolder Write(string relative, string content)
    {
        var file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
