using Microsoft.AspNetCore.Http;

namespace GitOps.Hosting.Http;

/// <summary>Request helpers shared by both hosts (the Functions worker and <c>gitops serve</c>).</summary>
public static class HttpRequestExtensions
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Reads the raw body up to <paramref name="limit"/> bytes. A declared <c>Content-Length</c> over the limit is refused
    /// before anything is read; a body without one is read in chunks and refused as soon as it passes the limit, so no
    /// more than the limit is ever held in memory, whatever the client sends.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="limit">The largest body accepted, in bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body, or null when it is larger than <paramref name="limit"/>.</returns>
    public static async Task<byte[]?> ReadBoundedAsync(this HttpRequest request, long limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a request into the handlers' plain form: the path below <c>/api/</c>, the first value of each query
    /// parameter, every header value, and the body within <paramref name="bodyLimit"/> (see <see cref="ReadBoundedAsync"/>).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="bodyLimit">The route's largest body, in bytes.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<HttpCall> ToCallAsync(this HttpRequest request, long bodyLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await request.ReadBoundedAsync(bodyLimit, cancellationToken).ConfigureAwait(false);
        var path = request.Path.Value ?? string.Empty;
        path = path.StartsWith(ApiPrefix, StringComparison.OrdinalIgnoreCase) ? path[ApiPrefix.Length..] : path.TrimStart('/');
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.FirstOrDefault() ?? string.Empty, StringComparer.Ordinal);
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? string.Empty))).ToList();
        return new HttpCall(request.Method, path, query, headers, body);
    }

    // Both hosts serve under the Functions host's default route prefix.
    private const string ApiPrefix = "/api/";
}
