using System.Globalization;
using System.Text.Json.Nodes;
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
        if (Max(call) is not { } max)
        {
            return HttpAnswer.Error(400, "bad request", "max must be a whole number.");
        }

        switch (s.Count)
        {
            case 1 when s[0] == "environments" && get:
                return HttpAnswer.Json(200, await ListEnvironmentsAsync(ct).ConfigureAwait(false));
            case 1 when s[0] == "runs" && get:
                return HttpAnswer.Json(200, await ListRunsAsync(call.QueryValue("environment"), max, ct).ConfigureAwait(false));
            case 2 when s[0] == "runs" && get:
                return await GetRunAsync(s[1], ct).ConfigureAwait(false) is { } run ? HttpAnswer.Json(200, run) : NotFound($"No run '{s[1]}'.");
            case 3 when s[0] == "environments" && get:
                return await GetEnvironmentAsync($"{s[1]}/{s[2]}", ct).ConfigureAwait(false) is { } state
                    ? HttpAnswer.Json(200, state)
                    : NotFound($"No state for environment {s[1]}/{s[2]}: it has not been reconciled yet.");
            case 4 when s[0] == "environments" && s[3] == "runs" && get:
                return HttpAnswer.Json(200, await ListRunsAsync($"{s[1]}/{s[2]}", max, ct).ConfigureAwait(false));
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

    /// <summary>The <c>max</c> query parameter (50 when absent), or null when it is not a whole number.</summary>
    private static int? Max(HttpCall call) =>
        call.QueryValue("max") is not { } text ? 50
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) ? max
            : null;

    private static HttpAnswer Answer(ApiResponse response) => HttpAnswer.Json(response.StatusCode, response.Body);

    private static HttpAnswer NotFound(string message) => HttpAnswer.Json(404, new JsonObject { ["status"] = "not found", ["message"] = message });
}
