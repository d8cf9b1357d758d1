using System.Text;
using System.Text.RegularExpressions;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>Turns resource ids and api-versions into request URLs, and checks the URLs ARM hands back for polling.</summary>
internal static partial class ArmResourcePath
{
    /// <summary>The request URL for <paramref name="resourceId"/> with the declared api-version on it.</summary>
    /// <exception cref="ArgumentException">The id or api-version is malformed (the message says how).</exception>
    public static Uri BuildUri(Uri endpoint, string resourceId, string apiVersion)
    {
        ValidateResourceId(resourceId);
        ValidateApiVersion(apiVersion);
        var builder = new StringBuilder(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        foreach (string segment in resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append('/').Append(Uri.EscapeDataString(segment));
        }

        builder.Append("?api-version=").Append(Uri.EscapeDataString(apiVersion));
        return new Uri(builder.ToString());
    }

    /// <summary>The subscription a URL belongs to (the throttle bucket's key); empty for tenant-level URLs.</summary>
    public static string SubscriptionOf(string path)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < segments.Length - 1; i++)
        {
            if (segments[i].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
            {
                return segments[i + 1].ToLowerInvariant();
            }
        }

        return string.Empty;
    }

    /// <summary>
    /// Accepts a URL ARM handed back (a polling URL, a list's <c>nextLink</c>) only on the ARM endpoint's own scheme,
    /// host and port: the pipeline attaches the bearer token to every request, and a token must never follow a header
    /// or a response body to another host.
    /// </summary>
    public static bool TryParseOnEndpoint(Uri endpoint, string value, out Uri uri)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? parsed)
            && Uri.Compare(parsed, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            uri = parsed;
            return true;
        }

        uri = endpoint;
        return false;
    }

    /// <summary>
    /// The URL ARM handed back when it is on the endpoint (<see cref="TryParseOnEndpoint"/>); otherwise an
    /// <see cref="ArmRequestException"/> with <paramref name="code"/>, sent nowhere.
    /// </summary>
    /// <param name="endpoint">The ARM endpoint.</param>
    /// <param name="value">The URL from the header or body.</param>
    /// <param name="code">The error code (<see cref="ArmErrorCodes.UntrustedPollingUrl"/>, <see cref="ArmErrorCodes.UntrustedNextLink"/>).</param>
    /// <param name="describe">The start of the message, given the foreign host (or "a relative URL").</param>
    public static Uri RequireOnEndpoint(Uri endpoint, string value, string code, Func<string, string> describe)
    {
        if (TryParseOnEndpoint(endpoint, value, out Uri uri))
        {
            return uri;
        }

        string host = Uri.TryCreate(value, UriKind.Absolute, out Uri? other) ? other.GetLeftPart(UriPartial.Authority) : "a relative URL";
        throw new ArmRequestException(
            0, code,
            $"{describe(host)}, which is not the ARM endpoint {endpoint.GetLeftPart(UriPartial.Authority)}; the access token is not sent there.",
            ArmErrorKind.Fatal);
    }

    private static void ValidateResourceId(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        if (!resourceId.StartsWith('/') || resourceId.Length < 2)
        {
            throw new ArgumentException($"Resource id '{resourceId}' must start with '/', e.g. /subscriptions/<id>/resourceGroups/<rg>.", nameof(resourceId));
        }

        if (resourceId.IndexOfAny(['?', '#', '\\']) >= 0 || resourceId.Any(char.IsControl))
        {
            throw new ArgumentException($"Resource id '{resourceId}' must not contain '?', '#', '\\' or control characters.", nameof(resourceId));
        }

        foreach (string segment in resourceId[1..].TrimEnd('/').Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw new ArgumentException($"Resource id '{resourceId}' has an empty, '.' or '..' segment.", nameof(resourceId));
            }
        }
    }

    private static void ValidateApiVersion(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        if (!ApiVersionPattern().IsMatch(apiVersion))
        {
            throw new ArgumentException(
                $"api-version '{apiVersion}' is not of the form YYYY-MM-DD or YYYY-MM-DD-preview.", nameof(apiVersion));
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-[A-Za-z0-9.]+)?$")]
    private static partial Regex ApiVersionPattern();
}
