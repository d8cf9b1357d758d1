using System.Text.Json.Nodes;

namespace GitOps.Functions.Invocation;

/// <summary>
/// The handler's answer to a JSON-protocol invocation: <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>
/// (functions-and-storage.md §1.4). The HTTP status carries success: 2xx completes the invocation, anything else
/// fails it (the host then retries a queue message and poisons it past <c>maxDequeueCount</c>).
/// Outputs stay empty on purpose: jobs are enqueued through the REST client, never through output bindings.
/// </summary>
public sealed class InvocationResponse
{
    private readonly List<string> _logs = [];

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; private set; } = StatusCodes.Status200OK;

    /// <summary>Lines for the invocation log (Application Insights). Never secrets: only ids, outcomes and summaries.</summary>
    public IReadOnlyList<string> Logs => _logs;

    /// <summary>Adds a log line.</summary>
    public InvocationResponse Log(string line)
    {
        _logs.Add(line);
        return this;
    }

    /// <summary>Marks the invocation as failed (500) so the host retries or poisons the message.</summary>
    public InvocationResponse Fail(string reason)
    {
        StatusCode = StatusCodes.Status500InternalServerError;
        return Log(reason);
    }

    /// <summary>Whether the answer completes the invocation.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>The response body.</summary>
    public JsonObject ToJson() => new()
    {
        ["Outputs"] = new JsonObject(),
        ["Logs"] = new JsonArray(_logs.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        ["ReturnValue"] = null,
    };

    /// <summary>The response as an ASP.NET Core result.</summary>
    public IResult ToResult() =>
        Results.Text(ToJson().ToJsonString(), "application/json", System.Text.Encoding.UTF8, StatusCode);
}
