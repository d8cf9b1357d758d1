using System.Net;

namespace GitOps.Storage.Tests;

/// <summary>An HTTP handler that records requests (headers and body) and answers with queued statuses, for pipeline tests without a server.</summary>
internal sealed class CapturingHandler : HttpMessageHandler
{
    private readonly Queue<HttpStatusCode> _statuses;

    public CapturingHandler(params HttpStatusCode[] statuses) => _statuses = new Queue<HttpStatusCode>(statuses);

    /// <summary>The body every response carries (empty by default).</summary>
    public byte[] ResponseBody { get; init; } = [];

    /// <summary>Headers every response carries.</summary>
    public Dictionary<string, string> ResponseHeaders { get; init; } = [];

    public List<CapturedRequest> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add(new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body));
        HttpStatusCode status = _statuses.Count > 0 ? _statuses.Dequeue() : HttpStatusCode.OK;
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(ResponseBody) };
        foreach ((string name, string value) in ResponseHeaders)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

internal sealed record CapturedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body);
