using System.Globalization;
using System.Text.Json.Nodes;
using GitOps.Core.Runs;
using GitOps.Hosting.Http;

namespace GitOps.Hosting.Handlers;

/// <summary>The api's routes over <see cref="HttpCall"/>, so both hosts answer every request the same way.</summary>
public sealed partial class ApiHandler
{
    /// <summary>
    /// Answers one api request (<c>/api/environments…</c>, <c>/api/runs…</c>). Authentication comes first: a caller
    /// without a valid key gets 401 before anything else runs, not even name validation.
    /// </summary>
    /// <param name="call">The request (its body read within <see cref="ApiCommands.MaxBodyBytes"/>).</param>
    /// <param name="access">Who may call, as the host decides.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public async Task<HttpAnswer> HandleAsync(HttpCall call, ApiAccess access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(access);
        if (access.Authenticate(call) is not { } actor)
        {
            return Unauthorized();
        }

        try
        {
            return await RouteAsync(call, actor, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException error)
        {
            // An environment key from the URL that the stores refuse (not 'repository/environment' of plain names) is
            // the caller's mistake: 400 with the reason instead of a 500.
            return HttpAnswer.Error(400, "bad request", error.Message);
        }
    }

    /// <summary>The answer to a caller without a valid key (shared with the status page).</summary>
    internal static HttpAnswer Unauthorized() =>
        HttpAnswer.Error(401, "unauthorized", $"Send an API key in the {ApiAccess.ApiKeyHeader} header.");

    private async Task<HttpAnswer> RouteAsync(HttpCall call, string actor, CancellationToken ct)
    {
        var s = call.Segments;
        var get = string.Equals(call.Method, "GET", StringComparison.OrdinalIgnoreCase);
        var post = string.Equals(call.Method, "POST", StringComparison.OrdinalIgnoreCase);
        switch (s.Count)
        {
            case 1 when s[0] == "environments" && get:
                return HttpAnswer.Json(200, await ListEnvironmentsAsync(ct).ConfigureAwait(false));
            case 1 when s[0] == "runs" && get:
                return await RunPageAsync(call, call.QueryValue("environment"), ct).ConfigureAwait(false);
            case 2 when s[0] == "runs" && get:
                return await GetRunAsync(s[1], ct).ConfigureAwait(false) is { } run ? HttpAnswer.Json(200, run) : NotFound($"No run '{s[1]}'.");
            case 3 when s[0] == "runs" && s[2] == "plan" && get:
                return await GetRunPlanAsync(s[1], ct).ConfigureAwait(false) is { } plan
                    ? HttpAnswer.Json(200, plan)
                    : NotFound($"No full plan for run '{s[1]}': the run does not exist, or it changed nothing (its record holds everything).");
            case 3 when s[0] == "environments" && get:
                return await GetEnvironmentAsync($"{s[1]}/{s[2]}", ct).ConfigureAwait(false) is { } state
                    ? HttpAnswer.Json(200, state)
                    : NotFound($"No state for environment {s[1]}/{s[2]}: it has not been reconciled yet.");
            case 4 when s[0] == "environments" && s[3] == "runs" && get:
                return await RunPageAsync(call, $"{s[1]}/{s[2]}", ct).ConfigureAwait(false);
            case 4 when s[0] == "environments" && post && call.Body is null:
                return Answer(ApiCommands.TooLarge());
            case 4 when s[0] == "environments" && s[3] == "sync" && post:
                return Answer(await Commands.SyncAsync(s[1], s[2], actor, call.Body, ct).ConfigureAwait(false));
            case 4 when s[0] == "environments" && s[3] == "suspend" && post:
                return Answer(await Commands.SuspendAsync(s[1], s[2], actor, call.Body, ct).ConfigureAwait(false));
            case 4 when s[0] == "environments" && s[3] == "resume" && post:
                return Answer(await Commands.ResumeAsync(s[1], s[2], actor, call.Body, ct).ConfigureAwait(false));
            default:
                return NotFound($"No api operation {call.Method} /api/{call.Path}.");
        }
    }

    /// <summary>
    /// A page of runs from the ledger: <c>?outcome=&amp;trigger=&amp;since=&amp;until=&amp;top=</c> (or <c>max</c>, default 50)
    /// <c>&amp;after=</c>. The body stays a JSON array; the next page's token is in <c>X-Next-Token</c> and a
    /// <c>Link: &lt;…&gt;; rel="next"</c> header.
    /// </summary>
    private async Task<HttpAnswer> RunPageAsync(HttpCall call, string? environmentKey, CancellationToken cancellationToken)
    {
        var top = call.QueryValue("top") ?? call.QueryValue("max");
        var size = 50;
        if (top is not null && !int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out size))
        {
            return HttpAnswer.Error(400, "bad request", "'top' (or 'max') must be a whole number.");
        }

        var query = RunQuery.Parse(environmentKey, call.QueryValue("outcome"), call.QueryValue("trigger"), call.QueryValue("since"), call.QueryValue("until"), size, call.QueryValue("after"));
        var (runs, next) = await ListRunPageAsync(query, cancellationToken).ConfigureAwait(false);
        var answer = HttpAnswer.Json(200, runs);
        if (next is null)
        {
            return answer;
        }

        var rest = string.Join('&', call.Query.Where(p => p.Key != "after").Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var link = $"</api/{call.Path}?{rest}{(rest.Length == 0 ? string.Empty : "&")}after={Uri.EscapeDataString(next)}>; rel=\"next\"";
        return answer with { Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["X-Next-Token"] = next, ["Link"] = link } };
    }

    private static HttpAnswer Answer(ApiResponse response) => HttpAnswer.Json(response.StatusCode, response.Body);

    private static HttpAnswer NotFound(string message) => HttpAnswer.Json(404, new JsonObject { ["status"] = "not found", ["message"] = message });
}
