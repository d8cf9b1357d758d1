using System.CommandLine;
using System.Text.Json;
using GitOps.Cli.Output;
using GitOps.Core.Runs;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops runs list [--env NAME] [--outcome O] [--trigger T] [--since TIME] [--until TIME] [--top N] [--after TOKEN]</c>,
/// <c>gitops runs show RUN-ID</c> and <c>gitops runs reindex</c>: the reconciler's run history from its storage account.
/// Listings read the run ledger only; <c>show</c> reads the one full record.
/// </summary>
internal static class RunsCommand
{
    public static Command Create(CliConsole console)
    {
        var storage = new StorageOptions();
        var environment = new Option<string?>("--env", "-e") { Description = "An environment: NAME (in any repository), or REPOSITORY/NAME.", HelpName = "NAME" };
        var outcome = new Option<string?>("--outcome") { Description = "Only runs with this outcome (applied, failed, nochanges, driftdetected, …).", HelpName = "OUTCOME" };
        var trigger = new Option<string?>("--trigger") { Description = "Only runs with this trigger (push, drift, manual, retry, rollback).", HelpName = "TRIGGER" };
        var since = new Option<string?>("--since") { Description = "Only runs started at or after this ISO 8601 time (UTC unless an offset is given).", HelpName = "TIME" };
        var until = new Option<string?>("--until") { Description = "Only runs started before this ISO 8601 time.", HelpName = "TIME" };
        var top = new Option<int>("--top", "--max") { Description = $"How many runs per page, newest first (1-{RunQuery.MaxTop}).", DefaultValueFactory = _ => 20 };
        var after = new Option<string?>("--after") { Description = "Continue after this token (printed under the previous page).", HelpName = "TOKEN" };
        var output = new Option<string>("--output", "-o") { Description = "table or json.", DefaultValueFactory = _ => "table" }.AcceptOnlyFromAmong("table", "json");
        var list = new Command("list", "List runs, newest first: when, environment, trigger, commit, outcome and summary.") { environment, outcome, trigger, since, until, top, after, output };
        storage.AddTo(list);
        list.SetAction(async (parse, cancellationToken) =>
        {
            RunQuery query;
            try
            {
                var env = parse.GetValue(environment);
                var key = env is not null && env.Contains('/', StringComparison.Ordinal) ? env : null;
                query = RunQuery.Parse(key, parse.GetValue(outcome), parse.GetValue(trigger), parse.GetValue(since), parse.GetValue(until), parse.GetValue(top), parse.GetValue(after))
                    with { EnvironmentName = key is null ? env : null };
            }
            catch (ArgumentException error)
            {
                console.Error.WriteLine($"error: {error.Message.Split(" (Parameter", 2)[0]}");
                return ExitCodes.Error;
            }

            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            RunListPage page;
            try
            {
                page = await store.Ledger.ListAsync(query, cancellationToken);
            }
            catch (ArgumentException error)
            {
                console.Error.WriteLine($"error: {error.Message.Split(" (Parameter", 2)[0]}");
                return ExitCodes.Error;
            }

            if (parse.GetValue(output) == "json")
            {
                console.Out.WriteLine(JsonSerializer.Serialize(page.Runs, RunJson.Options));
            }
            else
            {
                RunTableWriter.WriteList(console.Out, page.Runs, console.Color);
                await SyncWindowLines.WriteAsync(console.Out, store.States, page.Runs.Select(r => r.EnvironmentKey).Distinct(), TimeProvider.System.GetUtcNow(), cancellationToken);
            }

            if (page.Next is not null)
            {
                // On stderr, so that the JSON on stdout stays one document.
                console.Error.WriteLine($"More runs: add --after {page.Next}");
            }

            return ExitCodes.Success;
        });

        var runId = new Argument<string>("run-id") { Description = "The run id (from runs list)." };
        var showOutput = new Option<string>("--output", "-o") { Description = "table or json.", DefaultValueFactory = _ => "table" }.AcceptOnlyFromAmong("table", "json");
        var full = new Option<bool>("--full") { Description = "Read the run's full plan (every change, no-ops included, and every result), kept beside the record of a run that changed something." };
        var show = new Command("show", "Show one run: commit, outcome, errors, segments, the plan with field-level diffs, and per-resource results.") { runId, showOutput, full };
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

            if (parse.GetValue(full))
            {
                if (await store.Runs.GetDetailAsync(run.RunId, cancellationToken) is { } detail)
                {
                    if (parse.GetValue(showOutput) == "json")
                    {
                        console.Out.WriteLine(RunJson.Serialize(detail));
                        return ExitCodes.Success;
                    }

                    run = run with { Plan = detail.Plan, Results = detail.Results, Health = detail.Health.Count > 0 ? detail.Health : null };
                }
                else
                {
                    console.Error.WriteLine($"note: run {run.RunId} has no full plan (it changed nothing, or was recorded before full plans were kept); its record holds everything.");
                }
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

        var reindex = new Command(
            "reindex",
            "Index every run record in the run ledger (migrates records written before the ledger, repairs one a dying writer left unlisted); safe to repeat.");
        storage.AddTo(reindex);
        reindex.SetAction(async (parse, cancellationToken) =>
        {
            var store = await storage.OpenAsync(parse, console, cancellationToken);
            if (store is null)
            {
                return ExitCodes.Error;
            }

            var (indexed, oldIndex) = await store.Runs.ReindexAsync(cancellationToken);
            console.Out.WriteLine($"Indexed {indexed} run record(s); deleted {oldIndex} old run-index blob(s).");
            return ExitCodes.Success;
        });

        return new Command("runs", "The reconciler's run history.") { list, show, reindex };
    }
}
