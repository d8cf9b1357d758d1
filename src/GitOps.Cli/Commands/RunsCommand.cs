using System.CommandLine;
using System.Text.Json;
using GitOps.Cli.Output;
using GitOps.Core.Runs;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops runs list [--env NAME] [--output table|json]</c> and <c>gitops runs show RUN-ID</c>: the reconciler's
/// run history from its storage account.
/// </summary>
internal static class RunsCommand
{
    public static Command Create(CliConsole console)
    {
        var storage = new StorageOptions();
        var environment = new Option<string?>("--env", "-e") { Description = "An environment: NAME, or REPOSITORY/NAME.", HelpName = "NAME" };
        var max = new Option<int>("--max") { Description = "How many runs, newest first.", DefaultValueFactory = _ => 20 };
        var output = new Option<string>("--output", "-o") { Description = "table or json.", DefaultValueFactory = _ => "table" }.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "List runs, newest first: when, environment, trigger, commit, outcome and summary.") { environment, max, output };
        storage.AddTo(list);
        list.SetAction(async (parse, cancellationToken) =>
        {
            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var filter = parse.GetValue(environment);
            var key = filter is not null && filter.Contains('/', StringComparison.Ordinal) ? filter : null;
            var wanted = Math.Clamp(parse.GetValue(max), 1, 1000);
            var runs = (await store.Runs.ListAsync(key, key is null && filter is not null ? 1000 : wanted, cancellationToken))
                .Where(r => filter is null || key is not null || string.Equals(r.Environment, filter, StringComparison.Ordinal))
                .Take(wanted)
                .ToList();
            if (parse.GetValue(output) == "json")
            {
                console.Out.WriteLine(JsonSerializer.Serialize(runs.Select(Functions()).ToList(), RunJson.Options));
                return ExitCodes.Success;
            }

            RunTableWriter.WriteList(console.Out, runs, console.Color);
            await SyncWindowLines.WriteAsync(console.Out, store.States, runs.Select(r => r.EnvironmentKey), TimeProvider.System.GetUtcNow(), cancellationToken);
            return ExitCodes.Success;
        });

        var runId = new Argument<string>("run-id") { Description = "The run id (from runs list)." };
        var showOutput = new Option<string>("--output", "-o") { Description = "table or json.", DefaultValueFactory = _ => "table" }.AcceptOnlyFromAmong("table", "json");
        var show = new Command("show", "Show one run: commit, outcome, errors, the plan with field-level diffs, and per-resource results.") { runId, showOutput };
        storage.AddTo(show);
        show.SetAction(async (parse, cancellationToken) =>
        {
            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var run = await store.Runs.GetAsync(parse.GetRequiredValue(runId), cancellationToken);
            if (run is null)
            {
                console.Error.WriteLine($"error: no run '{parse.GetRequiredValue(runId)}'. List runs with: gitops runs list");
                return ExitCodes.Error;
            }

            if (parse.GetValue(showOutput) == "json")
            {
                console.Out.WriteLine(RunJson.Serialize(run));
            }
            else
            {
                RunTableWriter.WriteRun(console.Out, run, console.Color);
            }

            return ExitCodes.Success;
        });

        return new Command("runs", "The reconciler's run history.") { list, show };
    }

    private static Func<RunRecord, RunRecord> Functions() => r => r with { Plan = null, Results = [] };
}
