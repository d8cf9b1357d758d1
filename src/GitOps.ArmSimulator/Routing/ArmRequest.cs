using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Routing;

/// <summary>What a handler needs from an HTTP request, already parsed.</summary>
internal sealed class ArmRequest
{
    public ArmRequest(string method, ArmPath path, string apiVersion, string baseUri, JsonNode? body, string? ifMatch, string? ifNoneMatch)
    {
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

    public string? IfMatch { get; }

    public string? IfNoneMatch { get; }
}
