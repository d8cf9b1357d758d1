using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace GitOps.ArmSimulator.ControlApi;

/// <summary>
/// The <see cref="ArmSimulatorState"/> surface over HTTP, for the CLI quick start and scripts. No authentication,
/// no throttling and no request log: it is the test harness, not ARM. Routes are listed in docs/arm-simulator.md.
/// </summary>
internal sealed class ControlApiHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Readable timestamps ("+00:00", not "\u002B00:00") for people reading the log with curl.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ArmSimulatorState _state;
    private readonly Func<string> _certificatePem;

    public ControlApiHandler(ArmSimulatorState state, Func<string> certificatePem)
    {
        _state = state;
        _certificatePem = certificatePem;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var route = (context.Request.Path.Value ?? string.Empty).TrimEnd('/').ToLowerInvariant();
        var method = context.Request.Method.ToUpperInvariant();
        var id = context.Request.Query["id"].FirstOrDefault();
        var by = context.Request.Query["by"].FirstOrDefault() is { Length: > 0 } user ? user : null;
        try
        {
            switch (route, method)
            {
                case ("/_sim/requests", "GET"):
                    await WriteJsonAsync(context, 200, JsonSerializer.SerializeToNode(_state.Requests, Json)).ConfigureAwait(false);
                    return;
                case ("/_sim/requests", "DELETE"):
                    _state.ClearRequests();
                    context.Response.StatusCode = 204;
                    return;
                case ("/_sim/resources", "GET"):
                    if (id is null)
                    {
                        await WriteJsonAsync(context, 200, new JsonArray(_state.ResourceIds.Select(r => (JsonNode?)r).ToArray())).ConfigureAwait(false);
                    }
                    else if (_state.GetResource(id) is { } resource)
                    {
                        await WriteJsonAsync(context, 200, resource).ConfigureAwait(false);
                    }
                    else
                    {
                        await WriteErrorAsync(context, 404, $"No resource with id '{id}'.").ConfigureAwait(false);
                    }

                    return;
                case ("/_sim/resources", "PUT"):
                    var seeded = await ReadBodyAsync(context).ConfigureAwait(false) switch
                    {
                        JsonArray array => array.Select(item => _state.Seed(item as JsonObject
                            ?? throw new InvalidDataException("Every element of the seed array must be an ARM resource object."))).ToList(),
                        JsonObject obj => [_state.Seed(obj)],
                        _ => throw new InvalidDataException("The body must be an ARM GET body (an object with an 'id') or an array of them."),
                    };
                    await WriteJsonAsync(context, 200, new JsonArray(seeded.Select(s => (JsonNode?)s).ToArray())).ConfigureAwait(false);
                    return;
                case ("/_sim/resources", "PATCH"):
                    var patch = await ReadBodyAsync(context).ConfigureAwait(false) as JsonObject
                        ?? throw new InvalidDataException("The body must be a JSON merge patch object.");
                    await ResourceResultAsync(context, id, RequireId(id) is var rid && _state.SetOutOfBand(rid, patch, by)).ConfigureAwait(false);
                    return;
                case ("/_sim/resources", "DELETE"):
                    var deleted = _state.DeleteOutOfBand(RequireId(id), by);
                    await ResourceResultAsync(context, id, deleted, noContent: true).ConfigureAwait(false);
                    return;
                case ("/_sim/events", "GET"):
                    await WriteJsonAsync(context, 200, JsonSerializer.SerializeToNode(_state.PublishedEvents, Json)).ConfigureAwait(false);
                    return;
                case ("/_sim/faults", "POST"):
                    _state.AddFault(ParseFault(await ReadBodyAsync(context).ConfigureAwait(false) as JsonObject
                        ?? throw new InvalidDataException("The body must be a fault rule object.")));
                    context.Response.StatusCode = 204;
                    return;
                case ("/_sim/faults", "DELETE"):
                    _state.ClearFaults();
                    context.Response.StatusCode = 204;
                    return;
                case ("/_sim/async-styles", "POST"):
                    var body = await ReadBodyAsync(context).ConfigureAwait(false) as JsonObject;
                    var type = body?["resourceType"]?.GetValue<string>()
                        ?? throw new InvalidDataException("The body needs 'resourceType' (e.g. Microsoft.Storage/storageAccounts) and 'style'.");
                    var styleText = body["style"]?.GetValue<string>() ?? string.Empty;
                    if (!Enum.TryParse<ArmAsyncStyle>(styleText, ignoreCase: true, out var style) || !Enum.IsDefined(style))
                    {
                        throw new InvalidDataException($"Unknown style '{styleText}'. Use one of: {string.Join(", ", Enum.GetNames<ArmAsyncStyle>())}.");
                    }

                    _state.SetAsyncStyle(type, style);
                    context.Response.StatusCode = 204;
                    return;
                case ("/_sim/reset", "POST"):
                    _state.Reset();
                    context.Response.StatusCode = 204;
                    return;
                case ("/_sim/certificate", "GET"):
                    context.Response.ContentType = "application/x-pem-file";
                    await context.Response.WriteAsync(_certificatePem(), context.RequestAborted).ConfigureAwait(false);
                    return;
                default:
                    await WriteErrorAsync(context, 404,
                        $"Unknown control route {method} {route}. See docs/arm-simulator.md for /_sim/requests, /_sim/resources, /_sim/events, /_sim/faults, /_sim/async-styles, /_sim/reset and /_sim/certificate.").ConfigureAwait(false);
                    return;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            await WriteErrorAsync(context, 400, ex.Message).ConfigureAwait(false);
        }
    }

    internal static ArmFaultRule ParseFault(JsonObject body)
    {
        var retryAfter = body["retryAfterSeconds"]?.GetValue<double>();
        return new ArmFaultRule
        {
            Method = body["method"]?.GetValue<string>(),
            PathPattern = body["pathPattern"]?.GetValue<string>(),
            StatusCode = body["statusCode"]?.GetValue<int>() ?? throw new InvalidDataException("A fault rule needs 'statusCode' (e.g. 429, 500, 503, 409)."),
            ErrorCode = body["errorCode"]?.GetValue<string>(),
            Message = body["message"]?.GetValue<string>(),
            Count = body["count"]?.GetValue<int>(),
            Probability = body["probability"]?.GetValue<double>() ?? 1.0,
            RetryAfter = retryAfter is null ? null : TimeSpan.FromSeconds(retryAfter.Value),
            Latency = TimeSpan.FromMilliseconds(body["latencyMilliseconds"]?.GetValue<double>() ?? 0),
        };
    }

    private static string RequireId(string? id) =>
        string.IsNullOrEmpty(id) ? throw new InvalidDataException("The query parameter 'id' (the resource id) is required.") : id;

    private async Task ResourceResultAsync(HttpContext context, string? id, bool found, bool noContent = false)
    {
        if (!found)
        {
            await WriteErrorAsync(context, 404, $"No resource with id '{id}'.").ConfigureAwait(false);
        }
        else if (noContent)
        {
            context.Response.StatusCode = 204;
        }
        else
        {
            await WriteJsonAsync(context, 200, _state.GetResource(id!)).ConfigureAwait(false);
        }
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body?.ToJsonString() ?? "null", context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = "InvalidControlRequest", ["message"] = message },
        });
}
