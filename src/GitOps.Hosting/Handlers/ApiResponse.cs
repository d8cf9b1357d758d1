using System.Text.Json.Nodes;

namespace GitOps.Hosting.Handlers;

/// <summary>The HTTP answer of an api operation: a status and a JSON body.</summary>
/// <param name="StatusCode">200/202 done, 400 the request is wrong, 404 no such repository or environment, 503 git could not be read.</param>
/// <param name="Body">The result, or <c>status</c> and <c>message</c> saying what went wrong.</param>
public sealed record ApiResponse(int StatusCode, JsonObject Body)
{
    /// <summary>An error answer.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="status">A short word (<c>bad request</c>, <c>not found</c>).</param>
    /// <param name="message">What went wrong and what to do.</param>
    public static ApiResponse Error(int statusCode, string status, string message) =>
        new(statusCode, new JsonObject { ["status"] = status, ["message"] = message });
}
