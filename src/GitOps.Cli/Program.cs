using GitOps.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops starting new work and lets running ARM operations finish; the inventory is still saved.
    e.Cancel = true;
    cancellation.Cancel();
};

return await GitOpsCli.RunAsync(args, CliConsole.System(), cancellation.Token);
