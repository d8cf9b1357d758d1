using System.CommandLine;
using GitOps.Cli.Commands;

namespace GitOps.Cli;

/// <summary>The <c>gitops</c> command line: builds the command tree and runs it against a console.</summary>
public static class GitOpsCli
{
    /// <summary>Runs the command line; returns the exit code.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="console">Where output goes (tests pass writers; the program passes the process console).</param>
    /// <param name="cancellationToken">Cancels a running command (Ctrl+C).</param>
    public static Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("gitops: keep Azure in the state declared in git. Validate and plan manifests, apply them, run the reconciler, and inspect its runs.")
        {
            ValidateCommand.Create(console),
            PlanCommand.Create(console),
            ApplyCommand.Create(console),
            ArmSimCommand.Create(console),
            WebhookCommand.Create(console),
            RunsCommand.Create(console),
            SyncCommand.Create(console),
            ServeCommand.Create(console),
            QuickstartCommand.Create(console),
        };

        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
