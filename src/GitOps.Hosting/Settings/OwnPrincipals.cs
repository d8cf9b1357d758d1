using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Events;

namespace GitOps.Hosting.Settings;

/// <summary>Which principals are the reconciler's own, so that the events of its own writes are dropped.</summary>
public static class OwnPrincipals
{
    /// <summary>The app setting the platform (and infra/) sets to the user-assigned identity's client id.</summary>
    public const string AzureClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>The configured ids, the identity's client id and the static token's principal, normalised and de-duplicated.</summary>
    /// <param name="configured">From <c>GitOps__Events__OwnPrincipals</c>.</param>
    /// <param name="azureClientId">From <c>AZURE_CLIENT_ID</c>.</param>
    /// <param name="staticToken">The static ARM token (local simulator, tests), if any.</param>
    /// <returns>Normalised ids (<see cref="ArmEventReader.NormalizePrincipal"/>).</returns>
    public static IReadOnlyList<string> Combine(IEnumerable<string> configured, string? azureClientId, string? staticToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var ids = configured.ToList();
        if (!string.IsNullOrWhiteSpace(azureClientId))
        {
            ids.Add(azureClientId);
        }

        if (!string.IsNullOrEmpty(staticToken))
        {
            ids.AddRange(OfToken(staticToken));
        }

        return ids.Where(id => !string.IsNullOrWhiteSpace(id)).Select(ArmEventReader.NormalizePrincipal).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The principal ids a static bearer token stands for: a JWT's <c>appid</c> (or <c>azp</c>) and <c>oid</c>; for
    /// any other token the id the ARM simulator gives it (a GUID from the first 16 bytes of SHA-256 of
    /// <c>gitops-armsim:</c> and the token, see docs/arm-simulator.md, "Events").
    /// </summary>
    /// <param name="token">The token.</param>
    /// <returns>The ids.</returns>
    public static IReadOnlyList<string> OfToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length == 3 && parts[1].Length is > 0 and <= 16 * 1024)
        {
            try
            {
                var segment = parts[1].Replace('-', '+').Replace('_', '/');
                segment = segment.PadRight(segment.Length + ((4 - (segment.Length % 4)) % 4), '=');
                if (JsonNode.Parse(Convert.FromBase64String(segment)) is JsonObject payload)
                {
                    return new[] { "appid", "azp", "oid" }
                        .Select(name => payload[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null)
                        .OfType<string>()
                        .ToList();
                }
            }
            catch (Exception error) when (error is FormatException or JsonException)
            {
                // Not a JWT after all: treated as an opaque token below.
            }
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("gitops-armsim:" + token));
        return [new Guid(hash.AsSpan(0, 16)).ToString("D")];
    }
}
