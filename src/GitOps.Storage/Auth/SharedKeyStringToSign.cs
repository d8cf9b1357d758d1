using System.Globalization;
using System.Text;
using Azure.Core;

namespace GitOps.Storage.Auth;

/// <summary>
/// Builds the Shared Key string-to-sign for the Blob and Queue services (version 2009-09-19 and later),
/// as the "Authorize with Shared Key" specification and Azurite's authenticators compute it.
/// </summary>
public static class SharedKeyStringToSign
{
    // The twelve standard headers in the order the specification lists them. Date stays empty
    // because x-ms-date is always sent.
    private static readonly string[] s_standardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    /// <summary>Builds the string-to-sign for an Azure.Core request about to be sent.</summary>
    /// <param name="request">The request, with every <c>x-ms-*</c> header already set.</param>
    /// <param name="accountName">The account whose key signs the request.</param>
    /// <returns>The exact string whose HMAC goes into the Authorization header.</returns>
    public static string Build(Request request, string accountName)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(accountName);

        long contentLength = 0;
        if (request.Content is not null && !request.Content.TryComputeLength(out contentLength))
        {
            throw new InvalidOperationException("Shared Key signing needs a request body of known length.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (HttpHeader header in request.Headers)
        {
            headers.Add(new KeyValuePair<string, string>(header.Name, header.Value));
        }

        return Build(request.Method.Method, request.Uri.ToUri(), headers, contentLength, accountName);
    }

    /// <summary>Builds the string-to-sign from the parts of a request.</summary>
    /// <param name="method">The HTTP verb, for example <c>PUT</c>.</param>
    /// <param name="uri">The full request URI, path and query escaped as sent.</param>
    /// <param name="headers">The request headers (names compared case-insensitively).</param>
    /// <param name="contentLength">The body length; 0 signs as an empty line (version 2015-02-21 and later).</param>
    /// <param name="accountName">The account whose key signs the request.</param>
    /// <returns>The exact string whose HMAC goes into the Authorization header.</returns>
    public static string Build(
        string method,
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers,
        long contentLength,
        string accountName)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(headers);

        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string> header in headers)
        {
            byName[header.Key] = byName.TryGetValue(header.Key, out string? existing)
                ? existing + "," + header.Value
                : header.Value;
        }

        var builder = new StringBuilder(256);
        builder.Append(method.ToUpperInvariant()).Append('\n');
        foreach (string name in s_standardHeaders)
        {
            string value = name switch
            {
                "Content-Length" => contentLength > 0 ? contentLength.ToString(CultureInfo.InvariantCulture) : string.Empty,
                "Date" => byName.ContainsKey("x-ms-date") ? string.Empty : byName.GetValueOrDefault(name, string.Empty),
                _ => byName.GetValueOrDefault(name, string.Empty),
            };
            builder.Append(value).Append('\n');
        }

        AppendCanonicalizedHeaders(builder, byName);
        AppendCanonicalizedResource(builder, uri, accountName);
        return builder.ToString();
    }

    private static void AppendCanonicalizedHeaders(StringBuilder builder, Dictionary<string, string> headers)
    {
        // Ordinal order of the lower-cased names is what the service and Azurite (JavaScript sort) use.
        IEnumerable<KeyValuePair<string, string>> msHeaders = headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => new KeyValuePair<string, string>(h.Key.Trim().ToLowerInvariant(), h.Value.Trim()))
            .OrderBy(h => h.Key, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> header in msHeaders)
        {
            builder.Append(header.Key).Append(':').Append(header.Value).Append('\n');
        }
    }

    private static void AppendCanonicalizedResource(StringBuilder builder, Uri uri, string accountName)
    {
        // The path stays escaped; for the emulator it already begins with /<account>, so the
        // account name appears twice, which is what both Azure and Azurite expect.
        builder.Append('/').Append(accountName);
        builder.Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");

        string query = uri.Query;
        if (query.Length <= 1)
        {
            return;
        }

        var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string pair in query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            string value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (!parameters.TryGetValue(name, out List<string>? values))
            {
                values = [];
                parameters.Add(name, values);
            }

            values.Add(value);
        }

        foreach ((string name, List<string> values) in parameters)
        {
            values.Sort(StringComparer.Ordinal);
            builder.Append('\n').Append(name).Append(':').AppendJoin(',', values);
        }
    }
}
