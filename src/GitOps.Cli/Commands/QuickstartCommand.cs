using System.CommandLine;
using GitOps.Cli.Quickstart;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops quickstart [--keep] [--timeout SECONDS]</c>: the whole loop on this machine — Azurite, the ARM simulator,
/// a sample config repository and <c>gitops serve</c>; a pushed commit delivered as a signed webhook and applied; an
/// out-of-band change corrected by the drift timer. Cleans up on success, failure and Ctrl+C.
/// </summary>
internal static class QuickstartCommand
{
    public static Command Create(CliConsole console)
    {
        var keep = new Option<bool>("--keep") { Description = "Leave everything running after the steps, until Ctrl+C, and print how to use the CLI against it." };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds.", HelpName = "SECONDS", DefaultValueFactory = _ => 180 };
        var command = new Command("quickstart", "Run the whole GitOps loop locally: Azurite, the ARM simulator, a sample repository, gitops serve, a push webhook and a drift correction.")
        {
            keep, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds <= 0)
            {
                console.Error.WriteLine("error: --timeout must be a positive number of seconds.");
                return ExitCodes.Error;
            }

            var root = RepositoryRoot.Find();
            if (root is null)
            {
                console.Error.WriteLine("error: the quick start runs from a checkout of GitOpsFunctions (it needs examples/ and node_modules/); no GitOpsFunctions.sln above the current folder or the gitops executable.");
                return ExitCodes.Error;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
            var session = new QuickstartSession(console, root);
            await using (session)
            {
                try
                {
                    await session.RunAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || session.StopRequested)
                {
                    console.Error.WriteLine($"quickstart cancelled at {session.Progress.Current}; cleaning up.");
                    return ExitCodes.Error;
                }
                catch (OperationCanceledException)
                {
                    console.Error.WriteLine($"error: quickstart failed at {session.Progress.Current}: not done within --timeout {seconds} s.");
                    return ExitCodes.Error;
                }
                catch (Exception error) when (error is InvalidOperationException or IOException or HttpRequestException or UnauthorizedAccessException or Azure.RequestFailedException)
                {
                    console.Error.WriteLine($"error: quickstart failed at {session.Progress.Current}: {error.Message}");
                    return ExitCodes.Error;
                }

                if (parse.GetValue(keep))
                {
                    session.PrintHowToUse();
                    try
                    {
                        // Ctrl+C reaches the CLI's token; SIGTERM reaches serve's host, which stops itself.
                        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Stopping);
                        await Task.Delay(Timeout.Infinite, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C: clean up below.
                    }
                }

                console.Out.WriteLine("Stopping serve, the simulator and Azurite; deleting the temporary folders.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
