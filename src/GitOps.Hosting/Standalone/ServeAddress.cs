using System.Net;

namespace GitOps.Hosting.Standalone;

/// <summary>Whether the address <c>gitops serve</c> is asked to listen on is reachable from this machine only.</summary>
internal static class ServeAddress
{
    /// <summary>
    /// True for <c>localhost</c> and loopback IP addresses (127.0.0.0/8, ::1). Everything else is false: wildcards
    /// (<c>0.0.0.0</c>, <c>::</c>, <c>*</c>, <c>+</c>), LAN addresses and host names, which may resolve beyond loopback.
    /// </summary>
    /// <param name="url">A Kestrel URL such as <c>http://127.0.0.1:7071</c>.</param>
    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.DnsSafeHost;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The host part of a URL for a message (the URL itself when it does not parse).</summary>
    public static string Host(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : url;
}
