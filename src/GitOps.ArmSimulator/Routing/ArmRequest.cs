using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Routing;

/// <summary>What a handler needs from an HTTP request, already parsed.</summary>
internal sealed class ArmRequest
{
    public ArmRequest(string method, ArmPath path, string apiVersion, string baseUri, JsonNode? body, string? ifMatch, string? ifNoneMatch,
        string rawPath = "/", IReadOnlyDictionary<string, string>? query = null)
    {
        RawPath = rawPath;
        Query = query ?? new Dictionary<string, string>();
        Method = method;
        Path = path;
        ApiVersion = apiVersion;
        BaseUri = baseUri;
        Body = body;
        IfMatch = ifMatch;
        IfNoneMatch = ifNoneMatch;
    }

    public string Method { get; }

    public ArmPath Path { get; }

    public string ApiVersion { get; }

    /// <summary><c>https://host:port</c> as the client addressed us, so polling URLs resolve the same way.</summary>
    public string BaseUri { get; }

    public JsonNode? Body { get; }

    /// <summary>The path as the client sent it, for the <c>nextLink</c> of a list page.</summary>
    public string RawPath { get; }

    /// <summary>The query parameters (the first value of each), e.g. <c>$top</c> and <c>$skiptoken</c>.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    public string? IfMatch { get; }

    public string? IfNoneMatch { get; }
}
