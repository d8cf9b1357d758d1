using System.CommandLine;
using GitOps.Core.Runs;

namespace GitOps.Cli.Commands;

/// <summary><c>gitops sync --env NAME [--repo NAME]</c>: enqueue a manual reconcile of the environment's branch tip.</summary>
internal static class SyncCommand
{
    public static Command Create(CliConsole console)
    {
        var storage = new StorageOptions();
        var environment = new Option<string>("--env", "-e") { Description = "The environment: NAME, or REPOSITORY/NAME.", HelpName = "NAME", Required = true };
        var repository = new Option<string?>("--repo") { Description = "The watched repository (needed when several have an environment of that name).", HelpName = "NAME" };
        var command = new Command("sync", "Enqueue a manual reconcile of an environment (its branch tip). The reconciler (Functions app or gitops serve) runs it.")
        {
            environment, repository,
        };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var name = parse.GetRequiredValue(environment);
            var repo = parse.GetValue(repository);
            if (name.Contains('/', StringComparison.Ordinal))
            {
                repo = name[..name.IndexOf('/', StringComparison.Ordinal)];
                name = name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..];
            }

            if (repo is null)
            {
                // The reconciler knows environments by their state; pick the repository that has one of that name.
                var keys = (await store.States.ListAsync(cancellationToken)).Where(k => k.EndsWith("/" + name, StringComparison.Ordinal)).ToList();
                if (keys.Count != 1)
                {
                    console.Error.WriteLine(keys.Count == 0
                        ? $"error: no reconciled environment named '{name}'; give it as REPOSITORY/{name} (or --repo) to sync it for the first time."
                        : $"error: several repositories have an environment '{name}' ({string.Join(", ", keys)}); choose one with --repo.");
                    return ExitCodes.Error;
                }

                repo = keys[0][..keys[0].LastIndexOf('/')];
            }

            var job = new ReconcileJob
            {
                JobId = Guid.NewGuid().ToString("N"),
                Repository = repo,
                Environment = name,
                Commit = null,
                Trigger = RunTrigger.Manual,
                EnqueuedAt = DateTimeOffset.UtcNow,
                RequestedBy = Environment.UserName,
            };
            await store.Jobs.EnqueueAsync(job, cancellationToken: cancellationToken);
            console.Out.WriteLine(job.JobId);
            console.Error.WriteLine($"Enqueued a manual reconcile of {job.EnvironmentKey} (job {job.JobId}). Follow it with: gitops runs list --env {job.EnvironmentKey}");
            return ExitCodes.Success;
        });
        return command;
    }
}
