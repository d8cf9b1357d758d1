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
public sealed partial class ApiHandler(IEnvironmentStateStore states, IRunStore runs, EnvironmentControl control, ApiCommands commands, TimeProvider? timeProvider = null)
{
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

    /// <summary>Runs, newest first, for one environment or all.</summary>
    public async Task<JsonArray> ListRunsAsync(string? environmentKey, int max, CancellationToken cancellationToken = default)
    {
        var list = await runs.ListAsync(environmentKey, Math.Clamp(max, 1, 500), cancellationToken).ConfigureAwait(false);
        return new JsonArray(list.Select(r => (JsonNode)RunSummary(r)).ToArray());
    }

    /// <summary>A whole run record (plan and results included), or null.</summary>
    public async Task<JsonObject?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is { } run
            ? JsonNode.Parse(RunJson.Serialize(run))!.AsObject()
            : null;

    /// <summary>The status page (HTML): every environment with its state and last applied commit, and the 25 newest runs.</summary>
    /// <param name="linkQuery">A query string to keep on the page's links (the Functions <c>?code=</c> key), or empty.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<string> StatusPageAsync(string linkQuery = "", CancellationToken cancellationToken = default)
    {
        var environments = new List<EnvironmentState>();
        foreach (var key in await states.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await states.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                environments.Add(stored.State);
            }
        }

        var recent = await runs.ListAsync(null, 25, cancellationToken).ConfigureAwait(false);
        return OverviewPage.Render(environments, recent, _time.GetUtcNow(), linkQuery);
    }

    /// <summary>A run's page (HTML): the run, its plan with field-level diffs and its results; null when there is no such run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="linkQuery">A query string to keep on the page's links, or empty.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<string?> RunStatusPageAsync(string runId, string linkQuery = "", CancellationToken cancellationToken = default) =>
        await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) is { } run
            ? RunPage.Render(run, _time.GetUtcNow(), linkQuery)
            : null;

    /// <summary>The list form of a run: everything but the plan and per-resource results.</summary>
    public static JsonObject RunSummary(RunRecord run)
    {
        var json = JsonNode.Parse(RunJson.Serialize(run))!.AsObject();
        json.Remove("plan");
        json.Remove("results");
        json["environmentKey"] = run.EnvironmentKey;
        return json;
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
