using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GitOps.Hosting.Settings;
using Microsoft.AspNetCore.Http;

namespace GitOps.Hosting.Http;

/// <summary>
/// Who may call <c>/api</c> and under which name the caller is recorded. One instance per host:
/// <see cref="Standalone"/> for <c>gitops serve</c>, <see cref="FunctionsHost"/> for the custom handler behind the
/// Functions host (which has already checked the <c>api</c> function's key before it forwards a request).
/// </summary>
/// <remarks>
/// Keys are compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>: the digests have
/// one length whatever the caller sends, so neither the time taken nor an early length check tells how long a key
/// is or how much of it matched; every configured key is compared, so the time does not tell which one matched either.
/// </remarks>
public sealed class ApiAccess
{
    /// <summary>The header that carries an API key.</summary>
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>The actor of an unauthenticated call to <c>gitops serve</c>, which then listens on loopback only.</summary>
    public const string LoopbackActor = "loopback";

    /// <summary>The actor of a call the Functions host let through on a function key (the host does not pass the key's name).</summary>
    public const string FunctionKeyActor = "function key";

    // Client principal headers that App Service Authentication sets (and strips from the client's request).
    private const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    private const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    private const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const int MaxActorLength = 200;

    private readonly (string Name, byte[] Digest)[] _keys;
    private readonly bool _functionsHost;
    private readonly bool _trustPrincipalHeaders;

    private ApiAccess(IEnumerable<NamedApiKey> keys, bool functionsHost, bool trustPrincipalHeaders)
    {
        _keys = keys.Select(k => (k.Name, SHA256.HashData(Encoding.UTF8.GetBytes(k.Value)))).ToArray();
        _functionsHost = functionsHost;
        _trustPrincipalHeaders = trustPrincipalHeaders;
    }

    /// <summary>True when a key is configured: then every <c>/api</c> route needs one.</summary>
    public bool RequiresKey => _keys.Length > 0;

    /// <summary>
    /// <c>gitops serve</c>: with keys, every <c>/api</c> call needs one and is recorded as <c>api-key:&lt;name&gt;</c>;
    /// without, calls are recorded as <see cref="LoopbackActor"/> (serve then refuses to listen beyond loopback).
    /// Principal headers are never trusted: nothing in front of serve strips client-supplied copies.
    /// </summary>
    /// <param name="keys">The configured keys.</param>
    public static ApiAccess Standalone(IEnumerable<NamedApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new ApiAccess(keys, functionsHost: false, trustPrincipalHeaders: false);
    }

    /// <summary>
    /// The custom handler: the host has checked the function key. The caller is the Entra ID principal when
    /// <paramref name="appServiceAuthentication"/> says the platform authenticates (and strips forged headers), else the
    /// API key's name when keys are configured (required on top of the function key), else <see cref="FunctionKeyActor"/>.
    /// </summary>
    /// <param name="keys">The configured keys (optional under the host).</param>
    /// <param name="appServiceAuthentication">True when App Service Authentication is enabled on the app.</param>
    public static ApiAccess FunctionsHost(IEnumerable<NamedApiKey> keys, bool appServiceAuthentication)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new ApiAccess(keys, functionsHost: true, trustPrincipalHeaders: appServiceAuthentication);
    }

    /// <summary>Authenticates a request.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The actor to record, or null when the request must be refused with 401.</returns>
    public string? Authenticate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Authenticate(name => request.Headers[name].ToString());
    }

    /// <summary>Authenticates a request from its headers.</summary>
    /// <param name="call">The request.</param>
    /// <returns>The actor to record, or null when the request must be refused with 401.</returns>
    public string? Authenticate(HttpCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Authenticate(name => call.Header(name) ?? string.Empty);
    }

    private string? Authenticate(Func<string, string> header)
    {
        string? keyName = null;
        if (RequiresKey)
        {
            keyName = MatchKey(header(ApiKeyHeader));
            if (keyName is null)
            {
                return null;
            }
        }

        if (_trustPrincipalHeaders && Principal(header) is { } principal)
        {
            return principal;
        }

        return keyName is not null ? "api-key:" + keyName
            : _functionsHost ? FunctionKeyActor
            : LoopbackActor;
    }

    private string? MatchKey(string presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var (name, expected) in _keys)
        {
            // No early exit: the time is the same whichever key matches.
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                match ??= name;
            }
        }

        return match;
    }

    private static string? Principal(Func<string, string> header)
    {
        var name = header(PrincipalNameHeader);
        var id = header(PrincipalIdHeader);
        var who = !string.IsNullOrWhiteSpace(name) ? name.Trim()
            : !string.IsNullOrWhiteSpace(id) ? id.Trim()
            : PrincipalClaimName(header(PrincipalHeader));
        return who is null ? null : "entra:" + (who.Length <= MaxActorLength ? who : who[..MaxActorLength]);
    }

    /// <summary>
    /// The name claim of <c>X-MS-CLIENT-PRINCIPAL</c> (Base64 of <c>{"auth_typ", "name_typ", "claims": [{"typ", "val"}]}</c>),
    /// for a platform that sets only that header; null when it is absent or unreadable.
    /// </summary>
    private static string? PrincipalClaimName(string encoded)
    {
        if (string.IsNullOrWhiteSpace(encoded))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(encoded.Trim()));
            var root = document.RootElement;
            var nameType = root.TryGetProperty("name_typ", out var typ) && typ.ValueKind == JsonValueKind.String ? typ.GetString() : null;
            if (!root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            string? Claim(string? type) => type is null ? null : claims.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object
                    && c.TryGetProperty("typ", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == type
                    && c.TryGetProperty("val", out var v) && v.ValueKind == JsonValueKind.String)
                .Select(c => c.GetProperty("val").GetString())
                .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

            return Claim(nameType) ?? Claim("preferred_username") ?? Claim("name") ?? Claim(ObjectIdClaim);
        }
        catch (Exception error) when (error is FormatException or JsonException)
        {
            return null;
        }
    }
}
