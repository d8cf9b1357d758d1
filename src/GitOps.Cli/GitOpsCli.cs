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
            SchemaCommand.Create(console),
            PlanCommand.Create(console),
            ApplyCommand.Create(console),
            ArmSimCommand.Create(console),
            WebhookCommand.Create(console),
            RunsCommand.Create(console),
            SyncCommand.Create(console),
            SuspendCommand.Create(console),
            ResumeCommand.Create(console),
            RollbackCommand.Create(console),
            ServeCommand.Create(console),
            QuickstartCommand.Create(console),
        };

        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction(console.Out);
        }

        // Our own handler instead of the library's stack dump: a person gets one line saying what failed.
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        return InvokeAsync(root, args, configuration, console, cancellationToken);
    }

    private static async Task<int> InvokeAsync(RootCommand root, string[] args, InvocationConfiguration configuration, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("Cancelled.");
            return ExitCodes.Error;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            var inner = error is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[0] : error;
            console.Error.WriteLine($"error: {inner.Message}");
            console.Error.WriteLine("(set GITOPS_DEBUG=1 for the full exception)");
            if (Environment.GetEnvironmentVariable("GITOPS_DEBUG") == "1")
            {
                console.Error.WriteLine(error.ToString());
            }

            return ExitCodes.Error;
        }
    }
}
