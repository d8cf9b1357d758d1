using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.ArmSimulator.Events;

/// <summary>
/// The <c>data.claims</c> of an ARM event, derived from the bearer token of the request, as ARM derives them: the
/// token's claims as strings, the short JWT names that .NET's claim mapping turns into URIs (<c>oid</c>, <c>tid</c>,
/// <c>upn</c>, …) written as those URIs (platform-facts §7.2). The simulator checks no signature: any token is accepted.
/// </summary>
public static class ArmCallerClaims
{
    /// <summary>The claim that holds the caller's object id in ARM events.</summary>
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>The claim that holds the caller's tenant in ARM events.</summary>
    public const string TenantIdClaim = "http://schemas.microsoft.com/identity/claims/tenantid";

    /// <summary>The claim that holds a user's principal name in ARM events.</summary>
    public const string UpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

    /// <summary>The app id of the Azure portal, the client of changes made there.</summary>
    public const string PortalAppId = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";

    /// <summary>The tenant of callers whose token does not name one.</summary>
    public const string DefaultTenantId = "00000000-0000-0000-0000-0000000000aa";

    /// <summary>The most claims copied from one token (a real token has a few dozen).</summary>
    internal const int MaxClaims = 64;

    private static readonly Dictionary<string, string> s_mapped = new(StringComparer.Ordinal)
    {
        ["oid"] = ObjectIdClaim,
        ["tid"] = TenantIdClaim,
        ["upn"] = UpnClaim,
        ["unique_name"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        ["sub"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
        ["given_name"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        ["family_name"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        ["scp"] = "http://schemas.microsoft.com/identity/claims/scope",
        ["idp"] = "http://schemas.microsoft.com/identity/claims/identityprovider",
        ["amr"] = "http://schemas.microsoft.com/claims/authnmethodsreferences",
        ["acr"] = "http://schemas.microsoft.com/claims/authnclassreference",
    };

    /// <summary>
    /// The claims for a bearer token: a JWT's payload claims (mapped as above; numbers and arrays as strings), or, for
    /// a token that is not a JWT, a service principal whose app id and object id are <see cref="OpaqueTokenPrincipalId"/>.
    /// </summary>
    /// <param name="token">The token after <c>Bearer </c>.</param>
    /// <returns>Claim name to value.</returns>
    public static IReadOnlyDictionary<string, string> FromToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (TryReadJwtPayload(token) is { } payload)
        {
            var claims = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in payload.Take(MaxClaims))
            {
                if (value is null)
                {
                    continue;
                }

                claims[s_mapped.GetValueOrDefault(name, name)] = value switch
                {
                    JsonArray array => string.Join(',', array.Select(v => v is JsonValue item && item.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : v?.ToJsonString())),
                    JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
                    _ => value.ToJsonString(),
                };
            }

            return claims;
        }

        var id = OpaqueTokenPrincipalId(token);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aud"] = "https://management.core.windows.net/",
            ["iss"] = $"https://sts.windows.net/{DefaultTenantId}/",
            ["appid"] = id,
            ["appidacr"] = "2",
            ["idtyp"] = "app",
            [ObjectIdClaim] = id,
            [TenantIdClaim] = DefaultTenantId,
            ["ver"] = "1.0",
        };
    }

    /// <summary>
    /// The claims of a person changing a resource in the Azure portal (what out-of-band changes made through
    /// <see cref="ArmSimulatorState"/> are attributed to).
    /// </summary>
    /// <param name="upn">The user principal name, e.g. <c>alice@contoso.com</c>.</param>
    /// <returns>Claim name to value.</returns>
    public static IReadOnlyDictionary<string, string> PortalUser(string upn)
    {
        ArgumentException.ThrowIfNullOrEmpty(upn);
        var oid = DeterministicGuid("user:" + upn.ToLowerInvariant());
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aud"] = "https://management.core.windows.net/",
            ["iss"] = $"https://sts.windows.net/{DefaultTenantId}/",
            ["appid"] = PortalAppId,
            ["appidacr"] = "0",
            ["http://schemas.microsoft.com/claims/authnmethodsreferences"] = "pwd,mfa",
            ["name"] = upn.Split('@')[0],
            [ObjectIdClaim] = oid,
            ["http://schemas.microsoft.com/identity/claims/scope"] = "user_impersonation",
            [TenantIdClaim] = DefaultTenantId,
            ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"] = upn,
            [UpnClaim] = upn,
            ["ver"] = "1.0",
        };
    }

    /// <summary>
    /// The app id (and object id) the simulator gives the caller of a token that is not a JWT: a GUID made from the
    /// first 16 bytes of SHA-256 of <c>gitops-armsim:</c> and the token. A reconciler that knows its static token can
    /// compute it to recognise its own writes.
    /// </summary>
    /// <param name="token">The token.</param>
    /// <returns>The id, in the <c>D</c> format.</returns>
    public static string OpaqueTokenPrincipalId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return DeterministicGuid("gitops-armsim:" + token);
    }

    private static string DeterministicGuid(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    private static JsonObject? TryReadJwtPayload(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length is 0 or > 16 * 1024)
        {
            return null;
        }

        try
        {
            var segment = parts[1].Replace('-', '+').Replace('_', '/');
            segment = segment.PadRight(segment.Length + ((4 - (segment.Length % 4)) % 4), '=');
            return JsonNode.Parse(Convert.FromBase64String(segment)) as JsonObject;
        }
        catch (Exception error) when (error is FormatException or JsonException)
        {
            return null;
        }
    }
}
