using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Hosting.Http.StatusPage;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The <c>api</c> function's operations: environments and their state, runs and their plans, manual sync, suspend and resume.
/// Answers are JSON documents in the same shapes as the stored state and run records.
/// </summary>
/// <param name="states">Environment state.</param>
/// <param name="runs">Full run records (read when one run is shown).</param>
/// <param name="control">Sync, suspend and resume.</param>
/// <param name="commands">The operations on one environment, with their checks.</param>
/// <param name="timeProvider">The clock.</param>
/// <param name="ledger">The run ledger every listing reads; without one (test fakes) listings read records through <paramref name="runs"/>.</param>
public sealed partial class ApiHandler(IEnvironmentStateStore states, IRunStore runs, EnvironmentControl control, ApiCommands commands, TimeProvider? timeProvider = null, IRunLedger? ledger = null)
{
    /// <summary>How many runs the status page shows per page.</summary>
    public const int StatusPageRuns = 25;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Sync, suspend and resume (the same operations <c>gitops sync|suspend|resume</c> run against storage).</summary>
    public EnvironmentControl Control { get; } = control;

    /// <summary>The operations on one environment, with their checks.</summary>
    internal ApiCommands Commands { get; } = commands;

    /// <summary>Every environment with state: key, last run, last applied commit, conditions, suspension.</summary>
    public async Task<JsonArray> ListEnvironmentsAsync(CancellationToken cancellationToken = default)
    {
        var result = new JsonArray();
        foreach (var key in await states.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await states.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                result.Add(Summary(stored.State));
            }
        }

        return result;
    }

    /// <summary>One environment's state, or null.</summary>
    public async Task<JsonObject?> GetEnvironmentAsync(string environmentKey, CancellationToken cancellationToken = default) =>
        await states.GetAsync(environmentKey, cancellationToken).ConfigureAwait(false) is { } stored
            ? JsonNode.Parse(RunJson.Serialize(stored.State))!.AsObject()
            : null;

    /// <summary>One page of runs in list form, newest first, from the ledger (never the full records), and the next page's token.</summary>
    /// <exception cref="ArgumentException">The environment key or the token is not valid (the api answers 400).</exception>
    public async Task<(JsonArray Runs, string? Next)> ListRunPageAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        var page = await ListRunSummariesAsync(query, cancellationToken).ConfigureAwait(false);
        return (new JsonArray(page.Runs.Select(r => (JsonNode)SummaryJson(r)).ToArray()), page.Next);
    }
    /// <summary>A whole run record (plan and results included), or null.</summary>
    public async Task<JsonObject?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is { } run
            ? JsonNode.Parse(RunJson.Serialize(run))!.AsObject()
            : null;

    /// <summary>
    /// A run's full plan (every change, no-ops included, and every result), kept beside the record of a run that changed
    /// something (<c>GET /api/runs/{runId}/plan</c>); null when there is none.
    /// </summary>
    public async Task<JsonObject?> GetRunPlanAsync(string runId, CancellationToken cancellationToken = default) =>
        await runs.GetDetailAsync(runId, cancellationToken).ConfigureAwait(false) is { } detail
            ? JsonNode.Parse(RunJson.Serialize(detail))!.AsObject()
            : null;

    /// <summary>The status page (HTML): every environment with its state and last applied commit, and a page of runs.</summary>
    /// <param name="linkQuery">A query string to keep on the page's links (the Functions <c>?code=</c> key), or empty.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public Task<string> StatusPageAsync(string linkQuery = "", CancellationToken cancellationToken = default) =>
        StatusPageAsync(linkQuery, after: null, cancellationToken);

    /// <summary>The status page with the runs after a token (its "older runs" link carries the next one).</summary>
    /// <param name="linkQuery">A query string to keep on the page's links, or empty.</param>
    /// <param name="after">Where the run list continues, or null for the newest.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<string> StatusPageAsync(string linkQuery, string? after, CancellationToken cancellationToken = default)
    {
        var environments = new List<EnvironmentState>();
        foreach (var key in await states.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await states.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                environments.Add(stored.State);
            }
        }

        var recent = await ListRunSummariesAsync(new RunQuery { Top = StatusPageRuns, After = after }, cancellationToken).ConfigureAwait(false);
        return OverviewPage.Render(environments, recent.Runs, _time.GetUtcNow(), linkQuery, recent.Next);
    }

    /// <summary>A run's page (HTML): the run, its plan with field-level diffs and its results; null when there is no such run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="linkQuery">A query string to keep on the page's links, or empty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<string?> RunStatusPageAsync(string runId, string linkQuery = "", CancellationToken cancellationToken = default) =>
        await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is { } run
            ? RunPage.Render(run, _time.GetUtcNow(), linkQuery)
            : null;

    /// <summary>The list form of a run, as the ledger keeps it (no plan, no per-resource results).</summary>
    public static JsonObject SummaryJson(Core.Runs.RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var json = JsonSerializer.SerializeToNode(run, RunJson.Options)!.AsObject();
        json.Remove("body");
        return json;
    }

    private async Task<RunListPage> ListRunSummariesAsync(RunQuery query, CancellationToken cancellationToken)
    {
        if (ledger is not null)
        {
            return await ledger.ListAsync(query, cancellationToken).ConfigureAwait(false);
        }

        // No ledger (in-memory test stores): the first page from the records themselves.
        var list = await runs.ListAsync(query.EnvironmentKey, query.Top, cancellationToken).ConfigureAwait(false);
        return new RunListPage(list.Select(r => Core.Runs.RunSummary.Of(r)).ToList(), null);
    }

    private static JsonObject Summary(EnvironmentState state)
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(state, RunJson.Options))!.AsObject();
        json.Remove("inventory");
        json["environmentKey"] = state.EnvironmentKey;
        json["resources"] = state.Inventory.Entries.Count;
        return json;
    }
}
