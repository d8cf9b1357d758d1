namespace GitOps.Hosting.Http;

/// <summary>
/// One HTTP request as the handlers see it, whichever host received it: the method, the path below <c>/api/</c>, the
/// query, the headers and the raw body, byte for byte (null when it was larger than the route allows).
/// </summary>
/// <param name="Method">GET, POST, …</param>
/// <param name="Path">The path below <c>/api/</c>, unescaped, without a leading slash: <c>environments/app/dev/runs</c>.</param>
/// <param name="Query">The query parameters (the first value of each).</param>
/// <param name="Headers">The headers, each value separately (names compared case-insensitively).</param>
/// <param name="Body">The raw body, or null when it exceeded the route's limit (the rest was never read).</param>
public sealed record HttpCall(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body)
{
    /// <summary>The path's segments.</summary>
    public IReadOnlyList<string> Segments { get; } = Path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The first value of a header, or null.</summary>
    /// <param name="name">The header name (any case).</param>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } h ? h.Value : null;

    /// <summary>A query parameter, or null.</summary>
    /// <param name="name">The parameter name.</param>
    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;
}
