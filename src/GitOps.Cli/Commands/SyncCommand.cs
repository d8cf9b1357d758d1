using System.CommandLine;
using GitOps.Core.Reconcile;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops sync --env NAME [--repo NAME] [--override-window --reason TEXT]</c>: enqueue a manual reconcile of the
/// environment's branch tip.
/// </summary>
internal static class SyncCommand
{
    public static Command Create(CliConsole console)
    {
        var storage = new StorageOptions();
        var target = new EnvironmentTarget();
        var window = new WindowOverrideOptions();
        var command = new Command("sync", "Enqueue a manual reconcile of an environment (its branch tip). The reconciler (Functions app or gitops serve) runs it.");
        target.AddTo(command);
        window.AddTo(command);
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrideReason = window.Read(parse, console, out var valid);
            if (!valid)
            {
                return ExitCodes.Error;
            }

            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null || await target.ResolveAsync(parse, store, console, "sync", cancellationToken) is not var (repo, name))
            {
                return ExitCodes.Error;
            }

            var job = await new EnvironmentControl(store.States, store.Runs, store.Jobs).SyncAsync(repo, name, CliActor.Current, cancellationToken, overrideReason);
            console.Out.WriteLine(job.JobId);
            console.Error.WriteLine($"Enqueued a manual reconcile of {job.EnvironmentKey} (job {job.JobId}). Follow it with: gitops runs list --env {job.EnvironmentKey}");
            return ExitCodes.Success;
        });
        return command;
    }
}
