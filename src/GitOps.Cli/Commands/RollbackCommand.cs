using System.CommandLine;
using GitOps.Core.Runs;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops rollback --env NAME --to RUN-ID|COMMIT [--override-window --reason TEXT]</c>: enqueue a rollback job that applies the declared state of an
/// earlier commit as a recorded run and holds automatic sync of the branch until a new commit arrives.
/// </summary>
internal static class RollbackCommand
{
    public static Command Create(CliConsole console)
    {
        var storage = new StorageOptions();
        var target = new EnvironmentTarget();
        var window = new WindowOverrideOptions();
        var to = new Option<string>("--to") { Description = "A run id (from gitops runs list: its commit is applied) or a full commit SHA on the environment's repository.", HelpName = "RUN-ID|COMMIT", Required = true };
        var command = new Command(
            "rollback",
            "Apply an earlier commit to an environment now, and hold it there (drift runs keep it) until a new commit arrives on the branch. The lasting fix is a git revert.")
        {
            to,
        };
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
            if (store is null || await target.ResolveAsync(parse, store, console, "roll back", cancellationToken) is not var (repo, name))
            {
                return ExitCodes.Error;
            }

            var key = EnvironmentKeys.Of(repo, name);
            var value = parse.GetRequiredValue(to).Trim();
            string commit;
            if (IsFullSha(value))
            {
                commit = value.ToLowerInvariant();
            }
            else if (await store.Runs.GetAsync(value, cancellationToken) is { } run)
            {
                if (run.EnvironmentKey != key)
                {
                    console.Error.WriteLine($"error: --to: run {value} belongs to {run.EnvironmentKey}, not {key}.");
                    return ExitCodes.Error;
                }

                if (run.Commit is null)
                {
                    console.Error.WriteLine($"error: --to: run {value} has no resolved commit ({run.Outcome}); pick a run that applied, or give the commit SHA.");
                    return ExitCodes.Error;
                }

                commit = run.Commit.Sha;
            }
            else
            {
                console.Error.WriteLine($"error: --to '{value}' is neither a run id of {key} nor a full commit SHA (40 hex digits; expand a short one with git rev-parse).");
                return ExitCodes.Error;
            }

            var job = ReconcileJob.Create(repo, name, RunTrigger.Rollback, commit, TimeProvider.System.GetUtcNow(), CliActor.Current) with { WindowOverrideReason = overrideReason };
            await store.Jobs.EnqueueAsync(job, cancellationToken: cancellationToken);
            console.Out.WriteLine(job.JobId);
            console.Error.WriteLine(
                $"Enqueued a rollback of {key} to {commit[..7]} (job {job.JobId}). It holds until a new commit arrives on the branch; "
                + $"make it lasting with git revert. Follow it with: gitops runs list --env {key}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static bool IsFullSha(string value) =>
        value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);
}
