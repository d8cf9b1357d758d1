using System.CommandLine;
using GitOps.Core.Reconcile;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops resume --env NAME</c>: clears an emergency suspension and enqueues a reconcile (the same operation as
/// <c>POST /api/environments/{repo}/{env}/resume</c>).
/// </summary>
internal static class ResumeCommand
{
    public static Command Create(CliConsole console)
    {
        var storage = new StorageOptions();
        var target = new EnvironmentTarget();
        var command = new Command("resume", "Resume an environment suspended with gitops suspend (or the api) and enqueue a reconcile of its branch tip. A suspension declared in gitops.yaml ends only with a commit.");
        target.AddTo(command);
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null || await target.ResolveAsync(parse, store, console, "resume", cancellationToken) is not var (repo, name))
            {
                return ExitCodes.Error;
            }

            var (record, job) = await new EnvironmentControl(store.States, store.Runs, store.Jobs).ResumeAsync(repo, name, CliActor.Current, cancellationToken);
            console.Out.WriteLine(job.JobId);
            console.Error.WriteLine($"{record.EnvironmentKey}: {record.Summary} Follow it with: gitops runs list --env {record.EnvironmentKey}");
            return ExitCodes.Success;
        });
        return command;
    }
}
