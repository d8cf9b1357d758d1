using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Routing;

/// <summary>An answer built by a handler and written once, so logging and common headers live in one place.</summary>
internal sealed class ArmResponse
{
    public ArmResponse(int statusCode, JsonNode? body = null)
    {
        StatusCode = statusCode;
        Body = body;
    }

    public int StatusCode { get; }

    public JsonNode? Body { get; }

    public string? ErrorCode { get; private init; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static ArmResponse Error(int statusCode, string code, string message) =>
        new(statusCode, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } })
        {
            ErrorCode = code,
        };

    public ArmResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
